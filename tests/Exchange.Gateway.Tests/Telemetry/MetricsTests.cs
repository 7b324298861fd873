using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Telemetry;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Telemetry;

/// <summary>The gateway's metrics: each exchange counted once with its method, participant and status; outbound calls timed per region.</summary>
[Collection(TelemetryIsolation.Name)]
public sealed class MetricsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string GetLookupPath = "/exchange.archive.v1.ArchiveService/GetArchiveLookup";

    [Fact]
    public async Task Exchanges_AreCountedOncePerStatus_AndOutboundCallsAreTimedPerRegion()
    {
        var environment = fixture.Environment;
        var (resident, _) = Seeded.SchoolRecord(environment.Regions["330100"].Population);
        var client = new ArchiveService.ArchiveServiceClient(environment.ChannelFor(TestParticipants.Archive));
        var lookup = (await client.SubmitArchiveLookupAsync(new SubmitArchiveLookupRequest
        {
            RequestId = "metrics-lookup-1",
            ArchiveRegion = "330100",
            Category = ArchiveCategory.School,
            Subject = new Subject { CitizenId = resident.CitizenId },
            SubjectName = resident.Name,
            Purpose = PurposeOfUse.SubjectRequest,
        })).Lookup;
        using var measurements = new Measurements();

        await client.GetArchiveLookupAsync(new GetArchiveLookupRequest { ArchiveRegion = "330100", LookupId = lookup.LookupId });
        await GatewayAssert.FailsWith(StatusCode.NotFound, "no archive look-up 330100L99999999 here", () =>
            client.GetArchiveLookupAsync(new GetArchiveLookupRequest { ArchiveRegion = "330100", LookupId = "330100L99999999" }).ResponseAsync);
        // Refused by the gateway itself: counted, but no outbound call.
        await Assert.ThrowsAsync<RpcException>(() =>
            client.GetArchiveLookupAsync(new GetArchiveLookupRequest { ArchiveRegion = "110000", LookupId = "110000L00000001" }).ResponseAsync);

        var requests = measurements.Of("exchange.gateway.requests")
            .Where(m => Equals(m.Tags["rpc.method"], GetLookupPath) && Equals(m.Tags["exchange.participant"], TestParticipants.Archive))
            .ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, m => Assert.Equal(1.0, m.Value));
        Assert.Equal([0, 5, 5], requests.Select(m => (int)m.Tags["rpc.grpc.status_code"]!).Order());

        var durations = measurements.Of("exchange.gateway.request.duration")
            .Where(m => Equals(m.Tags["rpc.method"], GetLookupPath) && Equals(m.Tags["exchange.participant"], TestParticipants.Archive))
            .ToArray();
        Assert.Equal(3, durations.Length);
        Assert.All(durations, m => Assert.True(m.Value > 0));

        var outbound = measurements.Of("exchange.gateway.outbound.duration").ToArray();
        Assert.Equal(["330100 0", "330100 5"], outbound.Select(m => $"{m.Tags["exchange.region"]} {m.Tags["rpc.grpc.status_code"]}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Measurements_OfAnExchangeAboutAPerson_CarryNoPersonalData()
    {
        var environment = fixture.Environment;
        var (resident, _) = Seeded.SchoolRecord(environment.Regions["320000"].Population);
        var client = new ArchiveService.ArchiveServiceClient(environment.ChannelFor(TestParticipants.Archive));
        using var measurements = new Measurements();

        await client.SubmitArchiveLookupAsync(new SubmitArchiveLookupRequest
        {
            RequestId = "metrics-lookup-2",
            ArchiveRegion = "320000",
            Category = ArchiveCategory.School,
            Subject = new Subject { CitizenId = resident.CitizenId },
            SubjectName = resident.Name,
            Purpose = PurposeOfUse.SubjectRequest,
        });

        var tags = measurements.All.SelectMany(m => m.Tags.Select(t => $"{t.Key}={t.Value}")).ToArray();
        Assert.Contains("exchange.participant=county-archive", tags);
        Assert.DoesNotContain(tags, t => t.Contains(resident.CitizenId, StringComparison.Ordinal) || t.Contains(resident.Name, StringComparison.Ordinal));
    }

    /// <summary>Everything the gateway's meter records while it is open.</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _recorded = new();

        public Measurements()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GatewayTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.Start();
        }

        public IReadOnlyList<(string Instrument, double Value, Dictionary<string, object?> Tags)> All => [.. _recorded];

        public IEnumerable<(string Instrument, double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
            All.Where(m => m.Instrument == instrument);

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _recorded.Enqueue((instrument.Name, value, copy));
        }
    }
}
