using System.Collections.Concurrent;
using Exchange.Contracts.Sim.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Exchange.PartnerSim.Observation;

/// <summary>
/// What the simulator has seen of each exchange method: calls received and how they ended, the deadline and trace
/// context of the last call. Lets tests prove that a call did or did not reach a partner, and what it carried.
/// Header values other than traceparent are never kept (they may carry personal data).
/// </summary>
public sealed class CallStatistics(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, MethodCounters> _methods = new(StringComparer.Ordinal);

    /// <summary>Records the arrival of a call.</summary>
    public void Received(ServerCallContext context)
    {
        var counters = _methods.GetOrAdd(context.Method, static _ => new MethodCounters());
        Interlocked.Increment(ref counters.Received);
        var remaining = context.Deadline == DateTime.MaxValue
            ? (TimeSpan?)null
            : context.Deadline.ToUniversalTime() - time.GetUtcNow().UtcDateTime;
        var traceparent = context.RequestHeaders.GetValue("traceparent");
        var names = context.RequestHeaders.Select(h => h.Key).ToArray();
        lock (counters)
        {
            counters.LastDeadlineRemaining = remaining;
            counters.LastTraceparent = traceparent;
            counters.LastHeaderNames = names;
        }
    }

    /// <summary>Records how a call ended.</summary>
    public void Completed(string method, Exception? error)
    {
        var counters = _methods.GetOrAdd(method, static _ => new MethodCounters());
        switch (error)
        {
            case null:
                Interlocked.Increment(ref counters.Succeeded);
                break;
            case Faults.InjectedFaultException:
                Interlocked.Increment(ref counters.Faulted);
                break;
            default:
                Interlocked.Increment(ref counters.Failed);
                break;
        }
    }

    /// <summary>Calls received by a method (by gRPC path).</summary>
    public long ReceivedBy(string path) => _methods.TryGetValue(path, out var c) ? Interlocked.Read(ref c.Received) : 0;

    /// <summary>Total calls received by every exchange method.</summary>
    public long TotalReceived => _methods.Values.Sum(c => Interlocked.Read(ref c.Received));

    /// <summary>Forgets everything seen.</summary>
    public void Reset() => _methods.Clear();

    /// <summary>A snapshot, ordered by path.</summary>
    public IReadOnlyList<MethodStats> Snapshot() =>
        _methods.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.ToProto(p.Key)).ToArray();

    private sealed class MethodCounters
    {
        public long Received;
        public long Succeeded;
        public long Faulted;
        public long Failed;
        public TimeSpan? LastDeadlineRemaining;
        public string? LastTraceparent;
        public string[] LastHeaderNames = [];

        public MethodStats ToProto(string path)
        {
            var stats = new MethodStats
            {
                Path = path,
                Received = Interlocked.Read(ref Received),
                Succeeded = Interlocked.Read(ref Succeeded),
                Faulted = Interlocked.Read(ref Faulted),
                Failed = Interlocked.Read(ref Failed),
            };
            lock (this)
            {
                if (LastDeadlineRemaining is { } remaining)
                {
                    stats.LastDeadlineRemaining = Duration.FromTimeSpan(remaining);
                }

                stats.LastTraceparent = LastTraceparent ?? "";
                stats.LastHeaderNames.Add(LastHeaderNames);
            }

            return stats;
        }
    }
}
