using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Exchange.Benchmarks.Yarp;

/// <summary>
/// The YARP peer of the load benchmark: the minimal passthrough a user would put in front of a gRPC service. Listens
/// h2c on loopback and forwards every request over HTTP/2 (exact, no downgrade) to one destination; no features.
/// </summary>
internal static class YarpPassthrough
{
    private const string Usage = "Usage: yarp --port N --destination http://127.0.0.1:P";

    public static async Task<int> RunAsync(string[] args)
    {
        int? port = null;
        Uri? destination = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536:
                    port = p;
                    i++;
                    break;
                case "--destination" when Uri.TryCreate(value, UriKind.Absolute, out var d) && d.Scheme is "http" or "https":
                    destination = d;
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"error: bad argument '{args[i]}'\n{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        if (port is null || destination is null)
        {
            await Console.Error.WriteLineAsync($"error: --port and --destination are required\n{Usage}").ConfigureAwait(false);
            return 2;
        }

        await using var app = Build(port.Value, destination);
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine($"YARP passthrough listening on http://127.0.0.1:{port} (h2c) -> {destination} (HTTP/2 exact).");
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The passthrough app, not yet started.</summary>
    public static WebApplication Build(int port, Uri destination)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
        });

        RouteConfig[] routes = [new() { RouteId = "all", ClusterId = "backend", Match = new RouteMatch { Path = "{**catch-all}" } }];
        ClusterConfig[] clusters =
        [
            new()
            {
                ClusterId = "backend",
                Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal)
                {
                    ["backend"] = new() { Address = destination.ToString() },
                },
                HttpRequest = new ForwarderRequestConfig
                {
                    Version = HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                },
            },
        ];
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);

        var app = builder.Build();
        app.MapReverseProxy();
        return app;
    }
}
