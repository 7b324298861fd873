namespace Exchange.Gateway.Idempotency;

/// <summary>
/// What makes two exchanges "the same" for exactly-once treatment: the calling participant, the method and the
/// client-chosen request_id. Two participants may use the same request_id without meeting.
/// </summary>
/// <param name="Caller">The calling participant's id.</param>
/// <param name="Method">The method's gRPC path ("/package.Service/Method").</param>
/// <param name="RequestId">The request_id the caller chose.</param>
internal readonly record struct IdempotencyKey(string Caller, string Method, string RequestId);
