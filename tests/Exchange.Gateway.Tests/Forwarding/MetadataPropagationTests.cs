using System.Diagnostics;
using Exchange.Contracts.Sim.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// What a partner receives of the caller's metadata: the allow-listed headers and the W3C trace context (continued
/// by the gateway's own span), nothing else.
/// </summary>
public sealed class MetadataPropagationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task UnaryCall_AllowListedHeaders_ReachThePartnerAndNoOtherHeaderDoes()
    {
        Assert.Equal(["x-request-source", "accept-language"], fixture.Environment.Gateway.Options.MetadataAllowList);
        var headers = new Metadata
        {
            { "x-request-source", "county-his" },
            { "accept-language", "zh-CN" },
            { "x-secret", "s3cr3t" },
            { "authorization", "Bearer county-his-token" },
            { "x-participant", "shanghai-platform" },
        };

        var stats = await VerifyCardAsync("310000", headers);

        Assert.Contains("x-request-source", stats.LastHeaderNames);
        Assert.Contains("accept-language", stats.LastHeaderNames);
        Assert.DoesNotContain("x-secret", stats.LastHeaderNames);
        Assert.DoesNotContain("authorization", stats.LastHeaderNames);
        Assert.DoesNotContain("x-participant", stats.LastHeaderNames);
    }

    [Fact]
    public async Task UnaryCall_NoHeaders_PartnerSeesNoAllowListedHeader()
    {
        var stats = await VerifyCardAsync("320000", []);

        Assert.DoesNotContain("x-request-source", stats.LastHeaderNames);
        Assert.DoesNotContain("accept-language", stats.LastHeaderNames);
    }

    [Fact]
    public async Task UnaryCall_CallerTraceContext_PartnerContinuesTheSameTraceUnderTheGatewaysSpan()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();

        var stats = await VerifyCardAsync("330000", new Metadata
        {
            { "traceparent", $"00-{traceId}-{callerSpanId}-01" },
            { "tracestate", "county=his" },
        });

        Assert.True(ActivityContext.TryParse(stats.LastTraceparent, null, out var seen), $"not a traceparent: '{stats.LastTraceparent}'");
        Assert.Equal(traceId, seen.TraceId.ToHexString());
        Assert.NotEqual(callerSpanId, seen.SpanId.ToHexString());
        Assert.True(seen.TraceFlags.HasFlag(ActivityTraceFlags.Recorded));
        Assert.Contains("tracestate", stats.LastHeaderNames);
    }

    [Fact]
    public async Task UnaryCall_NoCallerTraceContext_PartnerStillGetsATraceparent()
    {
        var stats = await VerifyCardAsync("340000", []);

        Assert.True(ActivityContext.TryParse(stats.LastTraceparent, null, out var seen), $"not a traceparent: '{stats.LastTraceparent}'");
        Assert.NotEqual(default, seen.TraceId);
    }

    /// <summary>Verifies a card of <paramref name="region"/> with these headers and returns what the region saw of the last VerifyCard.</summary>
    private async Task<MethodStats> VerifyCardAsync(string region, Metadata headers)
    {
        var environment = fixture.Environment;
        var host = environment.Regions[region];
        var card = Seeded.ValidCard(host.Population);
        var client = new SocialSecurityCardService.SocialSecurityCardServiceClient(environment.ChannelFor(TestParticipants.SocialSecurity));
        var path = ExchangePaths.Card("VerifyCard");
        var before = host.Statistics.ReceivedBy(path);

        await client.VerifyCardAsync(
            new VerifyCardRequest { IssuingRegion = region, CitizenId = card.CitizenId, Purpose = PurposeOfUse.SocialInsurance }, headers);

        Assert.Equal(before + 1, host.Statistics.ReceivedBy(path));
        return host.Statistics.Snapshot().Single(s => s.Path == path);
    }
}
