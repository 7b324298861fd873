using Grpc.Core;

namespace Exchange.Gateway.Resilience;

/// <summary>
/// A refusal by the gateway's own resilience (an open circuit breaker, a full bulkhead, a rate limit): the exchange
/// was not sent to any partner, so its outcome is definite and a retry cannot duplicate it. Its google.rpc.ErrorInfo
/// says so too (metadata <c>forwarded</c> = <c>false</c>), for clients and for exactly-once treatment.
/// </summary>
internal sealed class RefusedBeforeSendingException(Status status, Metadata trailers) : RpcException(status, trailers);
