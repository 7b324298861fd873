namespace Exchange.Cli.Demo;

/// <summary>How the sandbox demo runs.</summary>
public sealed record SandboxDemoOptions
{
    /// <summary>Seed of the simulated populations; must be the gateway sandbox's. Default <see cref="SandboxDefaults.Seed"/>.</summary>
    public int Seed { get; init; } = SandboxDefaults.Seed;

    /// <summary>Residents per simulated region; must be the sandbox's. Default <see cref="SandboxDefaults.ResidentCount"/>.</summary>
    public int ResidentCount { get; init; } = SandboxDefaults.ResidentCount;

    /// <summary>Deadline of each unary call. Default 15 seconds.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to watch an archive look-up for its certificate. Default 60 seconds.</summary>
    public TimeSpan ArchiveTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
