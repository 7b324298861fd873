using System.Collections.Concurrent;
using System.Diagnostics;
using Exchange.Gateway.Telemetry;
using Exchange.Gateway.Tests.Forwarding;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Telemetry;

/// <summary>
/// Records the gateway's spans. The in-process gateway shares its static ActivitySource with every test, so a test
/// sends its own trace id in traceparent and by default looks only at spans of that trace. The listener samples
/// nothing itself: which spans exist is decided by the gateway's own tracing configuration, as in production.
/// </summary>
internal sealed class CapturedActivities : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    /// <param name="belongs">Which ended spans to keep; by default those of <see cref="TraceId"/>.</param>
    public CapturedActivities(Func<Activity, bool>? belongs = null)
    {
        TraceId = ActivityTraceId.CreateRandom();
        CallerSpanId = ActivitySpanId.CreateRandom();
        belongs ??= activity => activity.TraceId == TraceId;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (belongs(activity))
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The trace the caller's calls belong to when they send <see cref="Headers"/>.</summary>
    public ActivityTraceId TraceId { get; }

    /// <summary>The caller's own span, parent of the gateway's server spans.</summary>
    public ActivitySpanId CallerSpanId { get; }

    /// <summary>Headers that put a call into the trace.</summary>
    public Metadata Headers => new() { { "traceparent", $"00-{TraceId.ToHexString()}-{CallerSpanId.ToHexString()}-01" } };

    /// <summary>Every kept span that has ended.</summary>
    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>Waits until <paramref name="count"/> kept spans have ended, and returns all that have.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(int count)
    {
        await Eventually.True(() => _stopped.Count >= count, $"{count} spans ended");
        return Stopped;
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
