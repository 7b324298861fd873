using Exchange.Contracts.Sim.V1;
using Grpc.Core;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Behavior;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;

namespace Exchange.PartnerSim.Faults;

/// <summary>
/// The faults a simulated region injects into exchange calls: latency, errors by status code, a black hole and a
/// crash, as Polly chaos strategies. One pipeline is built at start; its generators read the settings in force, so
/// <see cref="Set"/> changes behaviour for the next call without rebuilding anything.
/// </summary>
public sealed class FaultInjection
{
    private readonly ResiliencePipeline _pipeline;
    private readonly Random _random;
    private readonly Lock _randomGate = new();
    private readonly Action _crash;
    private FaultSettings _settings;

    /// <summary>Creates the injector.</summary>
    /// <param name="initial">Faults in force at start (validated).</param>
    /// <param name="time">Clock for injected latency.</param>
    /// <param name="seed">Seed of the fault dice, so a run's fault pattern can be repeated.</param>
    /// <param name="crash">What a crash does: exit the process, or stop the hosted server.</param>
    public FaultInjection(FaultSettings initial, TimeProvider time, int seed, Action crash)
    {
        _settings = Validate(initial).Clone();
        _random = new Random(seed);
        _crash = crash;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddChaosBehavior(new ChaosBehaviorStrategyOptions
            {
                InjectionRate = 1,
                EnabledGenerator = _ => ValueTask.FromResult(Current.Crash),
                BehaviorGenerator = args => CrashAsync(args.Context.CancellationToken),
            })
            .AddChaosBehavior(new ChaosBehaviorStrategyOptions
            {
                InjectionRate = 1,
                EnabledGenerator = _ => ValueTask.FromResult(Current.BlackHole),
                BehaviorGenerator = args => new ValueTask(Task.Delay(Timeout.Infinite, args.Context.CancellationToken)),
            })
            .AddChaosLatency(new ChaosLatencyStrategyOptions
            {
                Randomizer = NextDouble,
                InjectionRateGenerator = _ => ValueTask.FromResult(Current.LatencyRate),
                EnabledGenerator = _ => ValueTask.FromResult(Current.Latency is not null && Current.LatencyRate > 0),
                LatencyGenerator = _ => ValueTask.FromResult(Current.Latency?.ToTimeSpan() ?? TimeSpan.Zero),
            })
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                Randomizer = NextDouble,
                InjectionRateGenerator = _ => ValueTask.FromResult(Current.Errors.Sum(e => e.Rate)),
                EnabledGenerator = _ => ValueTask.FromResult(Current.Errors.Count > 0),
                FaultGenerator = _ => ValueTask.FromResult<Exception?>(PickError(Current)),
            })
            .Build();
    }

    /// <summary>The faults in force.</summary>
    public FaultSettings Current => Volatile.Read(ref _settings);

    /// <summary>Replaces the faults in force; takes effect for the next call.</summary>
    /// <exception cref="ArgumentException">A rate is outside 0..1, or the error rates add up to more than 1.</exception>
    public void Set(FaultSettings settings) => Volatile.Write(ref _settings, Validate(settings).Clone());

    /// <summary>Runs the faults in force before an exchange call; throws the injected error, if any.</summary>
    public async ValueTask BeforeCallAsync(CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(static _ => ValueTask.CompletedTask, cancellationToken).ConfigureAwait(false);

    /// <summary>Checks settings; returns them unchanged.</summary>
    public static FaultSettings Validate(FaultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.LatencyRate is < 0 or > 1)
        {
            throw new ArgumentException("latency_rate must be between 0 and 1", nameof(settings));
        }

        if (settings.Errors.Any(e => e.Rate is < 0 or > 1 || e.StatusCode is <= 0 or > 16))
        {
            throw new ArgumentException("every error needs a status_code from 1 to 16 and a rate between 0 and 1", nameof(settings));
        }

        if (settings.Errors.Sum(e => e.Rate) > 1 + 1e-9)
        {
            throw new ArgumentException("error rates add up to more than 1", nameof(settings));
        }

        if (settings.Latency is { } latency && latency.ToTimeSpan() < TimeSpan.Zero)
        {
            throw new ArgumentException("latency must not be negative", nameof(settings));
        }

        return settings;
    }

    private async ValueTask CrashAsync(CancellationToken cancellationToken)
    {
        _crash();
        // The call never completes normally: the server is going away under it.
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }

    private InjectedFaultException PickError(FaultSettings settings)
    {
        // The chaos strategy already decided to inject (at the summed rate); choose which error by its share.
        var total = settings.Errors.Sum(e => e.Rate);
        var point = NextDouble() * total;
        foreach (var error in settings.Errors)
        {
            point -= error.Rate;
            if (point <= 0)
            {
                return Injected((StatusCode)error.StatusCode);
            }
        }

        return Injected((StatusCode)settings.Errors[^1].StatusCode);
    }

    private static InjectedFaultException Injected(StatusCode code) =>
        new(new Status(code, $"injected fault: {code}"));

    private double NextDouble()
    {
        lock (_randomGate)
        {
            return _random.NextDouble();
        }
    }
}

/// <summary>An error injected by <see cref="FaultInjection"/> (so statistics can tell it from a real one).</summary>
public sealed class InjectedFaultException(Status status) : RpcException(status);
