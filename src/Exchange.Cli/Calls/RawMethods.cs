using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Exchange.Cli.Calls;

/// <summary>
/// gRPC method definitions over raw bytes: the request is serialized once from JSON and the response parsed once
/// for printing, whatever the method, with no generated stub in between.
/// </summary>
internal static class RawMethods
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static b => b, static b => b);

    /// <summary>The byte-array method for <paramref name="method"/>, with its streaming shape.</summary>
    public static Method<byte[], byte[]> For(MethodDescriptor method) =>
        new(TypeOf(method), method.Service.FullName, method.Name, Bytes, Bytes);

    /// <summary>The gRPC shape of a method from its descriptor.</summary>
    public static MethodType TypeOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (false, true) => MethodType.ServerStreaming,
        (true, false) => MethodType.ClientStreaming,
        (true, true) => MethodType.DuplexStreaming,
    };
}
