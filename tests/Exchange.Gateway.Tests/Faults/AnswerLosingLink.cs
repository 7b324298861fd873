using System.Net;
using System.Security.Cryptography.X509Certificates;
using Exchange.Contracts.Medical.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Client = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>
/// The network between the gateway and one simulated region, losing a share of the region's answers to Settle on
/// the way back: the request reaches the region (its own fault injection applies) and is carried out there, and then
/// the answer never reaches the gateway, which hears nothing until its deadline ends the call. The simulator's own
/// latency fault cannot do this: it runs before the call is carried out and is cancelled with it, so a request
/// delayed beyond the deadline is never carried out. A gRPC endpoint of its own (TLS, the region's certificate),
/// which the gateway is configured with instead of the region's address.
/// </summary>
internal sealed class AnswerLosingLink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Random _dice;
    private readonly Lock _diceGate = new();
    private X509Certificate2? _certificate;
    private GrpcChannel? _partner;
    private double _lossRate;
    private int _relayed;
    private int _lost;

    private AnswerLosingLink(WebApplication app, string regionCode, double lossRate, int seed)
    {
        _app = app;
        RegionCode = regionCode;
        _lossRate = lossRate;
        _dice = new Random(seed);
    }

    /// <summary>The region behind the link.</summary>
    public string RegionCode { get; }

    /// <summary>Where the gateway reaches the region through the link.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Settle answers the region gave and the link passed on.</summary>
    public int Relayed => Volatile.Read(ref _relayed);

    /// <summary>Settle answers the region gave (the settlement was made) and the link lost.</summary>
    public int Lost => Volatile.Read(ref _lost);

    /// <summary>
    /// Starts listening for a link to <paramref name="regionCode"/>, losing <paramref name="lossRate"/> of its answers,
    /// before the environment exists (so that the environment's gateway can be configured with its address); it
    /// serves once <see cref="Connect"/> has given it the region's certificate and address.
    /// </summary>
    public static async Task<AnswerLosingLink> StartAsync(string regionCode, double lossRate, int seed)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        AnswerLosingLink? link = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, _) => link?._certificate ?? throw new InvalidOperationException($"link to {regionCode} not connected"),
            });
        }));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<LosingSettlementService>();
        var app = builder.Build();
        link = new AnswerLosingLink(app, regionCode, lossRate, seed);
        app.Services.GetRequiredService<LosingSettlementService>().Link = link;
        app.MapGrpcService<LosingSettlementService>();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        link.Address = new Uri(bound);
        return link;
    }

    /// <summary>Serves as the region of <paramref name="environment"/>: its certificate towards the gateway, its address behind.</summary>
    public void Connect(GatewayEnvironment environment)
    {
        _partner = environment.ChannelToRegion(RegionCode);
        _certificate = environment.Pki.RegionServerCertificate(RegionCode);
    }

    /// <summary>From now on every answer gets through.</summary>
    public void StopLosing() => Volatile.Write(ref _lossRate, 0);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(quick.Token);
        await _app.DisposeAsync();
        _partner?.Dispose();
    }

    private bool LosesThisAnswer()
    {
        lock (_diceGate)
        {
            return _dice.NextDouble() < Volatile.Read(ref _lossRate);
        }
    }

    /// <summary>Settle passed on to the region; every other method of the service is not served (the runs use none).</summary>
    private sealed class LosingSettlementService : CrossRegionSettlementService.CrossRegionSettlementServiceBase
    {
        public AnswerLosingLink Link { get; set; } = null!;

        public override async Task<SettleResponse> Settle(SettleRequest request, ServerCallContext context)
        {
            SettleResponse answer;
            try
            {
                var deadline = context.Deadline == DateTime.MaxValue ? (DateTime?)null : context.Deadline;
                answer = await new Client(Link._partner!).SettleAsync(request, deadline: deadline, cancellationToken: context.CancellationToken);
            }
            catch (RpcException e)
            {
                // The region's error goes back as it was sent (status and message; the simulator adds no details to injected faults).
                throw new RpcException(e.Status);
            }

            if (!Link.LosesThisAnswer())
            {
                Interlocked.Increment(ref Link._relayed);
                return answer;
            }

            // Carried out at the region; the answer is lost on the way back. The gateway hears nothing until it ends the call.
            Interlocked.Increment(ref Link._lost);
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            throw new InvalidOperationException("unreachable: an infinite delay ends only by cancellation");
        }
    }
}
