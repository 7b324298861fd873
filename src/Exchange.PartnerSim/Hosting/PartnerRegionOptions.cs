using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Exchange.Contracts.Sim.V1;

namespace Exchange.PartnerSim.Hosting;

/// <summary>How a simulated partner region is set up.</summary>
public sealed record PartnerRegionOptions
{
    /// <summary>
    /// The comparison key of the development sandbox (32 bytes). Real regions agree a secret key bilaterally; this
    /// one is public and only for simulated regions.
    /// </summary>
    public static ReadOnlyMemory<byte> DevelopmentComparisonKey { get; } = "exchange-sandbox-comparison-key!"u8.ToArray();

    /// <summary>GB/T 2260 code of the simulated region (e.g. 310000 Shanghai, 341021 She County). Required.</summary>
    public required string RegionCode { get; init; }

    /// <summary>Address to listen on. Default 127.0.0.1 (loopback only).</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 picks a free port. Default 0.</summary>
    public int Port { get; init; }

    /// <summary>Seed of the population and of the fault dice; same seed, same region. Default 2260.</summary>
    public int Seed { get; init; } = 2260;

    /// <summary>Number of residents to generate (at least 24). Default 240.</summary>
    public int ResidentCount { get; init; } = 240;

    /// <summary>
    /// How long an archive search takes before it ends (the real ones take days). Each of the two steps after
    /// submission (searching, then found or not found) takes this long. Default 2 seconds.
    /// </summary>
    public TimeSpan ArchiveSearchDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Faults in force at start. Default none.</summary>
    public FaultSettings Faults { get; init; } = new();

    /// <summary>HMAC key for resident comparison, agreed with the other regions. Default <see cref="DevelopmentComparisonKey"/>.</summary>
    public ReadOnlyMemory<byte> ComparisonKey { get; init; } = DevelopmentComparisonKey;

    /// <summary>The archive's ECDSA P-256 signing key; null generates one at start. Default null.</summary>
    public ECDsa? SigningKey { get; init; }

    /// <summary>Server certificate for TLS; null serves plain HTTP/2 (h2c). Default null.</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>What a crash fault does: true exits the process (stand-alone), false stops the server (hosted). Default false.</summary>
    public bool ExitProcessOnCrash { get; init; }

    /// <summary>Minimum level of the simulator's own log. Default Warning (quiet when hosted in tests).</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>The clock; a <c>FakeTimeProvider</c> in tests. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
