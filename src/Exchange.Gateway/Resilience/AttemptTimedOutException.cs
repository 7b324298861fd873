using Grpc.Core;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// DEADLINE_EXCEEDED of one attempt, cut short by the attempt timeout while the caller's deadline was still running:
/// for a method that may be repeated, a reason to retry if enough of the deadline is left.
/// </summary>
internal sealed class AttemptTimedOutException(string regionCode, TimeSpan timeout)
    : RpcException(new Status(StatusCode.DeadlineExceeded, FormattableString.Invariant($"region {regionCode} did not answer within the gateway's attempt timeout of {timeout.TotalSeconds:0.###} s")));
