using Exchange.PartnerSim.Hosting;
using Grpc.Net.Client;

namespace Exchange.PartnerSim.Tests.Infrastructure;

/// <summary>
/// A simulated region started on a real loopback socket, with a gRPC channel to it. Tests reach the simulator only
/// through the channel, as a partner system would; <see cref="Host"/> is there to inspect state and set faults.
/// </summary>
public sealed class SimulatedRegion : IAsyncDisposable
{
    private SimulatedRegion(PartnerRegionHost host)
    {
        Host = host;
        Channel = GrpcChannel.ForAddress(host.Address);
    }

    /// <summary>The running simulator.</summary>
    public PartnerRegionHost Host { get; }

    /// <summary>A channel to it (h2c over loopback).</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Starts a region; options default to Shanghai with a fast archive.</summary>
    public static async Task<SimulatedRegion> StartAsync(PartnerRegionOptions? options = null) =>
        new(await PartnerRegionHost.StartAsync(options ?? new PartnerRegionOptions
        {
            RegionCode = "310000",
            ArchiveSearchDelay = TimeSpan.FromMilliseconds(100),
        }));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>
/// One Shanghai simulator shared by the tests of a class (xunit class fixture). Tests that change its state use
/// people or ids no other test uses; tests that need faults or a fake clock start their own region.
/// </summary>
public sealed class ShanghaiRegionFixture : IAsyncLifetime
{
    private SimulatedRegion? _region;

    /// <summary>The shared region.</summary>
    public SimulatedRegion Region => _region ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    public async Task InitializeAsync() => _region = await SimulatedRegion.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_region is not null)
        {
            await _region.DisposeAsync();
        }
    }
}
