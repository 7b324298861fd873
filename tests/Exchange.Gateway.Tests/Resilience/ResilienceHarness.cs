using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Exchange.Contracts.Medical.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Contracts;
using Exchange.Gateway.Resilience;
using Exchange.Gateway.Routing;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>
/// One region's resilience pipelines on a fake clock, in front of endpoints that are never called: each attempt goes
/// to a delegate the test gives, which answers, fails or waits as the test needs. Nothing sleeps; time moves only
/// when the test advances <see cref="Time"/>.
/// </summary>
internal sealed class ResilienceHarness : IDisposable
{
    public static readonly MethodPlan PreSettle = Plan("PreSettle");
    public static readonly MethodPlan Settle = Plan("Settle");
    public static readonly MethodPlan GetInsuredPerson = Plan("GetInsuredPerson");

    private readonly RouteTable _routes;
    private readonly TestMeterFactory _meters = new();

    public ResilienceHarness(ResilienceOptions options, int endpoints = 1)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        Route = new RegionRoute("310000", "上海", [.. Enumerable.Range(1, endpoints).Select(Endpoint)], fanOut: true);
        _routes = new RouteTable([Route]);
        var gateway = new GatewayOptions { Regions = [new RegionOptions { Code = "310000", Endpoints = [.. Route.Endpoints.Select(e => e.Address.ToString())] }], Resilience = options };
        Telemetry = new ResilienceTelemetry(_meters);
        All = new OutboundResilience(_routes, gateway, Time, Telemetry, NullLogger<OutboundResilience>.Instance);
        Region = All.For(Route);
    }

    public FakeTimeProvider Time { get; }

    public RegionRoute Route { get; }

    public ResilienceTelemetry Telemetry { get; }

    /// <summary>Pipelines as the gateway builds them (registry, gauge, health check).</summary>
    public OutboundResilience All { get; }

    /// <summary>The region's pipelines.</summary>
    public RegionResilience Region { get; }

    public Uri Address(int n) => Route.Endpoints[n - 1].Address;

    /// <summary>Runs a unary call of <paramref name="plan"/>, each attempt answered by <paramref name="send"/>.</summary>
    public Task<byte[]> CallAsync(MethodPlan plan, Func<EndpointAttempt, Task<byte[]>> send, TimeSpan? deadline = null, CancellationToken cancellationToken = default)
    {
        var options = new CallOptions(deadline: Time.GetUtcNow().UtcDateTime + (deadline ?? TimeSpan.FromSeconds(10)), cancellationToken: cancellationToken);
        return Region.ExecuteUnaryAsync(new OutboundCall(plan, options), static (attempt, s) => s(attempt), send);
    }

    public void Dispose()
    {
        All.Dispose();
        _routes.Dispose();
        _meters.Dispose();
    }

    /// <summary>UNAVAILABLE from a partner that was reached (the request may have been carried out).</summary>
    public static RpcException Unavailable() => new(new Status(StatusCode.Unavailable, "injected fault: Unavailable"));

    /// <summary>UNAVAILABLE because the connection was refused: the request never left the gateway.</summary>
    public static RpcException ConnectionRefused() =>
        new(new Status(StatusCode.Unavailable, "Error connecting to subchannel.", new SocketException((int)SocketError.ConnectionRefused)));

    public static RpcException NotFound() => new(new Status(StatusCode.NotFound, "no insured person with that citizen ID in region 310000"));

    public static byte[] Answer(int n) => [(byte)n];

    /// <summary>An attempt the endpoint never answers: it ends only when the attempt is cancelled.</summary>
    public static async Task<byte[]> Unanswered(EndpointAttempt attempt)
    {
        await Task.Delay(Timeout.Infinite, attempt.AttemptCancellation);
        return Answer(0);
    }

    private static MethodPlan Plan(string method) => MethodPlan.Compile(CrossRegionSettlementService.Descriptor.FindMethodByName(method));

    // A channel connects only when called, and these are never called.
    private static RegionEndpoint Endpoint(int n)
    {
        var address = new Uri($"https://region-{n}.example:{9000 + n}");
        return new RegionEndpoint("310000", address, new SocketsHttpHandler(), 4 * 1024 * 1024, 4 * 1024 * 1024);
    }
}
