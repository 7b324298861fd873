using System.Runtime.CompilerServices;
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

    private static readonly ConditionalWeakTable<MethodPlan, Method<byte[], byte[]>> Methods = [];

    /// <summary>
    /// The raw-byte method of a plan, used to serve it and to call partners: one instance per plan. Grpc.Net.Client
    /// caches what it derives from a method per channel, keyed by the method instance, so a new instance per call
    /// would grow that cache by one entry per exchange, for ever.
    /// </summary>
    public static Method<byte[], byte[]> MethodOf(MethodPlan plan) =>
        Methods.GetValue(plan, static p => new Method<byte[], byte[]>(p.Type, p.ServiceName, p.MethodName, Marshaller, Marshaller));
}
