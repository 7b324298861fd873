using Exchange.Contracts.Directory.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.PartnerSim.Tests.Faults;

/// <summary>Faults set at start and changed at run time, seen by a real client on a real socket.</summary>
public sealed class FaultInjectionTests
{
    private const string ListServicesPath = "/exchange.directory.v1.DirectoryService/ListServices";

    [Fact]
    public async Task ErrorFault_AtFullRate_FailsEveryCallWithThatStatus_UntilCleared()
    {
        await using var region = await SimulatedRegion.StartAsync(Options() with
        {
            Faults = new FaultSettings { Errors = { new ErrorFault { StatusCode = (int)StatusCode.Unavailable, Rate = 1 } } },
        });
        var directory = new DirectoryService.DirectoryServiceClient(region.Channel);

        for (var i = 0; i < 3; i++)
        {
            var error = await RpcAssert.FailsWith(StatusCode.Unavailable, async () => await directory.ListServicesAsync(new ListServicesRequest()));
            Assert.Equal("injected fault: Unavailable", error.Status.Detail);
        }

        var control = new SimulatorControlService.SimulatorControlServiceClient(region.Channel);
        await control.SetFaultsAsync(new SetFaultsRequest { Faults = new FaultSettings() });
        var answer = await directory.ListServicesAsync(new ListServicesRequest());

        Assert.NotEmpty(answer.Services);
        var stats = (await control.GetStatsAsync(new GetStatsRequest())).Methods.Single(m => m.Path == ListServicesPath);
        Assert.Equal(4, stats.Received);
        Assert.Equal(3, stats.Faulted);
        Assert.Equal(1, stats.Succeeded);
    }

    [Fact]
    public async Task ErrorFault_AtThirtyPercent_FailsAboutThirtyPercentOfCalls()
    {
        await using var region = await SimulatedRegion.StartAsync(Options());
        region.Host.Faults.Set(new FaultSettings { Errors = { new ErrorFault { StatusCode = (int)StatusCode.Unavailable, Rate = 0.3 } } });
        var directory = new DirectoryService.DirectoryServiceClient(region.Channel);

        var failed = 0;
        const int calls = 400;
        for (var i = 0; i < calls; i++)
        {
            try
            {
                await directory.ListServicesAsync(new ListServicesRequest());
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                failed++;
            }
        }

        // Binomial(400, 0.3): mean 120, standard deviation about 9; the band is over four deviations wide each side.
        Assert.InRange(failed, 80, 160);
        var stats = region.Host.Statistics.Snapshot().Single(m => m.Path == ListServicesPath);
        Assert.Equal(failed, stats.Faulted);
        Assert.Equal(calls - failed, stats.Succeeded);
    }

    [Fact]
    public async Task MixedErrorFaults_ReturnEachConfiguredStatus()
    {
        await using var region = await SimulatedRegion.StartAsync(Options());
        region.Host.Faults.Set(new FaultSettings
        {
            Errors =
            {
                new ErrorFault { StatusCode = (int)StatusCode.Unavailable, Rate = 0.5 },
                new ErrorFault { StatusCode = (int)StatusCode.Internal, Rate = 0.5 },
            },
        });
        var directory = new DirectoryService.DirectoryServiceClient(region.Channel);

        var seen = new HashSet<StatusCode>();
        for (var i = 0; i < 60; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await directory.ListServicesAsync(new ListServicesRequest()));
            seen.Add(error.StatusCode);
        }

        Assert.Equal([StatusCode.Internal, StatusCode.Unavailable], seen.Order());
    }

    [Fact]
    public async Task Latency_HoldsTheCallUntilTheClockAdvances()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-29T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var region = await SimulatedRegion.StartAsync(Options() with { TimeProvider = time });
        region.Host.Faults.Set(new FaultSettings { Latency = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)), LatencyRate = 1 });
        var directory = new DirectoryService.DirectoryServiceClient(region.Channel);

        var call = directory.ListServicesAsync(new ListServicesRequest()).ResponseAsync;
        await Eventually.True(() => region.Host.Statistics.ReceivedBy(ListServicesPath) == 1);

        // The injected delay starts on the fake clock a moment after the call is counted, so advance in steps until
        // the call completes: it cannot complete before 30 fake seconds have passed since the delay started.
        var advanced = TimeSpan.Zero;
        while (!call.IsCompleted && advanced < TimeSpan.FromMinutes(2))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
            await Task.WhenAny(call, Task.Delay(20));
        }

        Assert.True(call.IsCompleted, "the call never completed");
        Assert.True(advanced >= TimeSpan.FromSeconds(30), $"completed after only {advanced.TotalSeconds} fake seconds");
        Assert.NotEmpty((await call).Services);
    }

    [Fact]
    public async Task BlackHole_NeverAnswers_CallerSeesItsDeadline()
    {
        await using var region = await SimulatedRegion.StartAsync(Options() with { Faults = new FaultSettings { BlackHole = true } });
        var directory = new DirectoryService.DirectoryServiceClient(region.Channel);

        await RpcAssert.FailsWith(StatusCode.DeadlineExceeded, async () =>
            await directory.ListServicesAsync(new ListServicesRequest(), deadline: DateTime.UtcNow.AddMilliseconds(300)));

        var stats = region.Host.Statistics.Snapshot().Single(m => m.Path == ListServicesPath);
        Assert.Equal(1, stats.Received);
        Assert.Equal(0, stats.Succeeded);
    }

    [Fact]
    public async Task Crash_DropsConnectionsAndStopsTheServer()
    {
        await using var region = await SimulatedRegion.StartAsync(Options());
        var directory = new DirectoryService.DirectoryServiceClient(region.Channel);
        await directory.ListServicesAsync(new ListServicesRequest());

        region.Host.Faults.Set(new FaultSettings { Crash = true });
        await RpcAssert.FailsWith(StatusCode.Unavailable, async () =>
            await directory.ListServicesAsync(new ListServicesRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));

        await region.Host.Stopped.WaitAsync(TimeSpan.FromSeconds(10));
        await RpcAssert.FailsWith(StatusCode.Unavailable, async () =>
            await directory.ListServicesAsync(new ListServicesRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));
    }

    [Fact]
    public async Task ControlService_IsNeverFaulted()
    {
        await using var region = await SimulatedRegion.StartAsync(Options() with
        {
            Faults = new FaultSettings { Errors = { new ErrorFault { StatusCode = (int)StatusCode.Internal, Rate = 1 } } },
        });
        var control = new SimulatorControlService.SimulatorControlServiceClient(region.Channel);

        var faults = await control.GetFaultsAsync(new GetFaultsRequest());

        Assert.Equal((int)StatusCode.Internal, faults.Faults.Errors.Single().StatusCode);
        Assert.Empty((await control.GetStatsAsync(new GetStatsRequest())).Methods);
    }

    [Theory]
    [InlineData(1.5, 0.0)]
    [InlineData(-0.1, 0.0)]
    [InlineData(0.7, 0.7)]
    public async Task SetFaults_InvalidRates_AreRefused(double firstRate, double secondRate)
    {
        await using var region = await SimulatedRegion.StartAsync(Options());
        var control = new SimulatorControlService.SimulatorControlServiceClient(region.Channel);
        var faults = new FaultSettings
        {
            Errors =
            {
                new ErrorFault { StatusCode = (int)StatusCode.Unavailable, Rate = firstRate },
                new ErrorFault { StatusCode = (int)StatusCode.Internal, Rate = secondRate },
            },
        };

        await RpcAssert.FailsWithFieldViolations(async () => await control.SetFaultsAsync(new SetFaultsRequest { Faults = faults }), "faults");
        Assert.Empty((await control.GetFaultsAsync(new GetFaultsRequest())).Faults.Errors);
    }

    private static PartnerRegionOptions Options() => new() { RegionCode = "320000", ResidentCount = 30 };
}
