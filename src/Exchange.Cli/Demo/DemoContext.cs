using System.Collections.Concurrent;
using Exchange.PartnerSim.Population;
using Grpc.Core;

namespace Exchange.Cli.Demo;

/// <summary>What every demo exchange needs: a way to call as a participant, the clock, and the seeded populations.</summary>
internal sealed class DemoContext(Func<string, CallInvoker> invokerFor, TimeProvider time, SandboxDemoOptions options)
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private readonly ConcurrentDictionary<string, RegionPopulation> _populations = new(StringComparer.Ordinal);
    private int _sequence = Random.Shared.Next(0, 5000);

    /// <summary>The options of the run.</summary>
    public SandboxDemoOptions Options { get; } = options;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Now as Beijing wall-clock time: msgids and visit ids carry it, as the national platform's do.</summary>
    public DateTime ChinaNow => Time.GetUtcNow().ToOffset(ChinaStandardTime).DateTime;

    /// <summary>Today in UTC+8, the simulators' business day.</summary>
    public DateOnly Today => DateOnly.FromDateTime(ChinaNow);

    /// <summary>A call invoker speaking as <paramref name="participantId"/>.</summary>
    public CallInvoker As(string participantId) => invokerFor(participantId);

    /// <summary>
    /// Options of one call. The deadline is taken from the system clock, not <see cref="Time"/>: gRPC compares it with
    /// the real time on both sides of the wire.
    /// </summary>
    public CallOptions Call(CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        new(deadline: DateTime.UtcNow + (timeout ?? Options.CallTimeout), cancellationToken: cancellationToken);

    /// <summary>The population a simulated region was seeded with (same seed, same people as the sandbox's simulators).</summary>
    public RegionPopulation Population(string regionCode) =>
        _populations.GetOrAdd(regionCode, code => PopulationSeeder.Create(code, Options.Seed, Today, Options.ResidentCount));

    /// <summary>
    /// The next 4-digit sequence of a msgid. It starts at a random point so that two demo runs within the same second
    /// do not reuse a msgid (which the partner would answer with the first run's settlement).
    /// </summary>
    public int NextSequence() => Interlocked.Increment(ref _sequence) % 10_000;
}
