using Exchange.Gateway.Contracts;
using Grpc.Core;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// Messages cross the gateway as the protobuf bytes the caller sent: one marshaller that copies nothing serves both
/// the server side and the outbound calls, so nothing is re-encoded on the hot path.
/// </summary>
internal static class RawBytes
{
    /// <summary>The identity marshaller.</summary>
    public static readonly Marshaller<byte[]> Marshaller = Marshallers.Create(static bytes => bytes, static bytes => bytes);

    /// <summary>The raw-byte method of a plan, used to serve it and to call partners.</summary>
    public static Method<byte[], byte[]> MethodOf(MethodPlan plan) =>
        new(plan.Type, plan.ServiceName, plan.MethodName, Marshaller, Marshaller);
}
