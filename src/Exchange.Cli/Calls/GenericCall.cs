using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Exchange.Cli.Calls;

/// <summary>
/// One call of any contract method over a <see cref="CallInvoker"/>, with JSON in and indented JSON out: unary,
/// server streaming (each response printed as it arrives), client streaming (a JSON array sent in order) and
/// bidirectional (all requests sent, then every response printed).
/// </summary>
internal sealed class GenericCall(MethodDescriptor method, IReadOnlyList<byte[]> requests)
{
    /// <summary>The method called.</summary>
    public MethodDescriptor Method { get; } = method;

    /// <summary>Prepares a call from JSON: one object, or an array for a client-streaming method.</summary>
    /// <exception cref="JsonInputException">The JSON does not fit the method's input.</exception>
    public static GenericCall FromJson(MethodDescriptor method, string json) =>
        new(method, method.IsClientStreaming ? MessageJson.ToBytesArray(method.InputType, json) : [MessageJson.ToBytes(method.InputType, json)]);

    /// <summary>Runs the call, writing each response to <paramref name="output"/> as JSON.</summary>
    /// <exception cref="RpcException">The call failed.</exception>
    public async Task RunAsync(CallInvoker invoker, CallOptions options, TextWriter output)
    {
        var rawMethod = RawMethods.For(Method);
        var responseType = Method.OutputType;
        switch (rawMethod.Type)
        {
            case MethodType.Unary:
            {
                using var call = invoker.AsyncUnaryCall(rawMethod, null, options, requests[0]);
                Write(output, responseType, await call.ResponseAsync.ConfigureAwait(false));
                break;
            }

            case MethodType.ServerStreaming:
            {
                using var call = invoker.AsyncServerStreamingCall(rawMethod, null, options, requests[0]);
                await WriteAllAsync(call.ResponseStream, output, responseType, options.CancellationToken).ConfigureAwait(false);
                break;
            }

            case MethodType.ClientStreaming:
            {
                using var call = invoker.AsyncClientStreamingCall(rawMethod, null, options);
                await SendAllAsync(call.RequestStream).ConfigureAwait(false);
                Write(output, responseType, await call.ResponseAsync.ConfigureAwait(false));
                break;
            }

            default:
            {
                using var call = invoker.AsyncDuplexStreamingCall(rawMethod, null, options);
                await SendAllAsync(call.RequestStream).ConfigureAwait(false);
                await WriteAllAsync(call.ResponseStream, output, responseType, options.CancellationToken).ConfigureAwait(false);
                break;
            }
        }
    }

    private async Task SendAllAsync(IClientStreamWriter<byte[]> stream)
    {
        foreach (var request in requests)
        {
            await stream.WriteAsync(request).ConfigureAwait(false);
        }

        await stream.CompleteAsync().ConfigureAwait(false);
    }

    private static async Task WriteAllAsync(IAsyncStreamReader<byte[]> stream, TextWriter output, MessageDescriptor type, CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            Write(output, type, stream.Current);
        }
    }

    private static void Write(TextWriter output, MessageDescriptor type, byte[] response)
    {
        output.WriteLine(MessageJson.ToJson(type, response));
        output.Flush(); // a watched stream is read by a person (or a pipe) while it runs
    }
}
