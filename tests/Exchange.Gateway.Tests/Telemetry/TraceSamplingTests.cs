using System.Diagnostics;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Tests.Audit.Integration;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;

namespace Exchange.Gateway.Tests.Telemetry;

/// <summary>
/// Parent-based sampling: a caller's sampled trace context is always followed, whatever the ratio; of the exchanges
/// that start their own trace only <see cref="TelemetryOptions.TraceSampleRatio"/> are recorded. The audit record
/// names the trace only when there is one to look at (recorded spans, or the caller's own context).
/// </summary>
[Collection(TelemetryIsolation.Name)]
public sealed class TraceSamplingTests(UnsampledGatewayFixture fixture) : IClassFixture<UnsampledGatewayFixture>
{
    private GatewayEnvironment Environment => fixture.Environment;

    [Fact]
    public async Task RatioZero_RootExchange_NoSpanIsRecordedAndTheAuditRecordNamesNoTrace()
    {
        var shanghai = Environment.Regions["310000"];
        var citizenId = Seeded.ActiveEmployee(shanghai.Population, 0).CitizenId;
        using var spans = new CapturedActivities(activity => Equals(activity.GetTagItem("exchange.participant"), TestParticipants.Hospital) || activity.Kind == ActivityKind.Client);
        var before = (await AuditProbe.ChainAsync(Environment)).Count;

        await Client().GetInsuredPersonAsync(Request(citizenId));

        var chain = await AuditProbe.ChainAsync(Environment);
        var record = Assert.Single(chain.Skip(before));
        Assert.Null(record.Entry.TraceId);
        Assert.DoesNotContain(spans.Stopped, a => a.Recorded);
        // An exchange nobody traces carries no trace context on to the partner either.
        Assert.Equal("", shanghai.Statistics.Snapshot().Single(s => s.Path == ExchangePaths.Medical("GetInsuredPerson")).LastTraceparent);
    }

    [Fact]
    public async Task RatioZero_CallerSampledTheTrace_BothSpansAreRecordedAndTheAuditRecordNamesTheTrace()
    {
        var shanghai = Environment.Regions["310000"];
        using var spans = new CapturedActivities();

        await Client().GetInsuredPersonAsync(Request(Seeded.ActiveEmployee(shanghai.Population, 0).CitizenId), spans.Headers);

        var all = await spans.WaitForAsync(2);
        Assert.All(all, a => Assert.True(a.Recorded));
        Assert.Contains(all, a => a.Kind == ActivityKind.Server);
        Assert.Contains(all, a => a.Kind == ActivityKind.Client);
        var record = await AuditProbe.SingleRecordOfTraceAsync(Environment, spans.TraceId.ToHexString());
        Assert.Equal(spans.TraceId.ToHexString(), record.Entry.TraceId);
    }

    private CrossRegionSettlementService.CrossRegionSettlementServiceClient Client() =>
        new(Environment.ChannelFor(TestParticipants.Hospital));

    private static GetInsuredPersonRequest Request(string citizenId) =>
        new() { InsuredRegion = "310000", CitizenId = citizenId, Purpose = PurposeOfUse.MedicalSettlement };
}

/// <summary>A gateway that records no span of an exchange starting its own trace (ratio 0).</summary>
public sealed class UnsampledGatewayFixture : IAsyncLifetime
{
    private GatewayEnvironment? _environment;

    /// <summary>The environment.</summary>
    public GatewayEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        _environment = await GatewayEnvironment.StartAsync(o => o with { Telemetry = new TelemetryOptions { TraceSampleRatio = 0 } });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }
}
