using Exchange.Contracts.Directory.V1;
using Exchange.Contracts.Sim.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.Control;

/// <summary>What the simulator reports having seen: the evidence gateway tests rely on.</summary>
public sealed class ObservationTests(ShanghaiRegionFixture fixture) : IClassFixture<ShanghaiRegionFixture>
{
    private const string ListParticipantsPath = "/exchange.directory.v1.DirectoryService/ListParticipants";

    [Fact]
    public async Task GetStats_ReportsDeadlineTraceparentAndHeaderNames_NotHeaderValues()
    {
        var directory = new DirectoryService.DirectoryServiceClient(fixture.Region.Channel);
        const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var headers = new Metadata { { "traceparent", traceparent }, { "x-secret", "110105194912310021" } };

        await directory.ListParticipantsAsync(new ListParticipantsRequest(), headers, deadline: DateTime.UtcNow.AddSeconds(20));

        var control = new SimulatorControlService.SimulatorControlServiceClient(fixture.Region.Channel);
        var stats = (await control.GetStatsAsync(new GetStatsRequest())).Methods.Single(m => m.Path == ListParticipantsPath);
        Assert.Equal("310000", (await control.GetStatsAsync(new GetStatsRequest())).RegionCode);
        Assert.True(stats.Received >= 1);
        Assert.InRange(stats.LastDeadlineRemaining.ToTimeSpan(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.Equal(traceparent, stats.LastTraceparent);
        Assert.Contains("x-secret", stats.LastHeaderNames);
        Assert.DoesNotContain("110105194912310021", stats.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStats_WithoutDeadline_LeavesDeadlineUnset()
    {
        var region = await SimulatedRegion.StartAsync(new Hosting.PartnerRegionOptions { RegionCode = "330100", ResidentCount = 24 });
        await using (region)
        {
            var directory = new DirectoryService.DirectoryServiceClient(region.Channel);
            await directory.ListParticipantsAsync(new ListParticipantsRequest());

            var stats = region.Host.Statistics.Snapshot().Single(m => m.Path == ListParticipantsPath);
            Assert.Null(stats.LastDeadlineRemaining);
            Assert.Equal(1, stats.Succeeded);

            await new SimulatorControlService.SimulatorControlServiceClient(region.Channel).ResetStatsAsync(new ResetStatsRequest());
            Assert.Equal(0, region.Host.Statistics.TotalReceived);
        }
    }
}
