using Google.Protobuf;
using Grpc.Core;

namespace Exchange.PartnerSim.Idempotency;

/// <summary>
/// What a real partner system does with client-chosen request ids: the first request with an id is executed,
/// a repeat of the same request gets the original response and changes nothing, and a different request under the
/// same id is refused. Requests are compared by protobuf equality, so field order on the wire does not matter.
/// </summary>
/// <typeparam name="TRequest">The request message.</typeparam>
/// <typeparam name="TResponse">The response message.</typeparam>
internal sealed class RequestIdLedger<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly Dictionary<string, (TRequest Request, TResponse Response)> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="execute"/> once per request id, under <paramref name="gate"/> (the domain's state lock,
    /// so the execution and the record of it are one step). Throws ALREADY_EXISTS on a conflicting reuse.
    /// </summary>
    public TResponse ExecuteOnce(object gate, string requestId, TRequest request, Func<TResponse> execute)
    {
        lock (gate)
        {
            if (_entries.TryGetValue(requestId, out var entry))
            {
                if (!entry.Request.Equals(request))
                {
                    throw new RpcException(new Status(
                        StatusCode.AlreadyExists,
                        "request_id was already used for a different request; choose a new request_id for a new request"));
                }

                return entry.Response.Clone();
            }

            var response = execute();
            _entries[requestId] = (request.Clone(), response.Clone());
            return response;
        }
    }

    /// <summary>Whether a request id has been executed. Call it holding the same gate as <see cref="ExecuteOnce"/>.</summary>
    public bool Contains(string requestId) => _entries.ContainsKey(requestId);
}
