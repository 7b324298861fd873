using Exchange.Contracts.Descriptors;
using Exchange.Contracts.Validation;
using Exchange.PartnerSim.Observation;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Exchange.PartnerSim.Validation;

/// <summary>
/// Checks every request message against its contract's field annotations before a handler sees it, as a real
/// regional system validates its input: INVALID_ARGUMENT with google.rpc.BadRequest field violations.
/// A method that requires a purpose of use refuses a request without one first, with PERMISSION_DENIED (in a
/// client stream, the first message states it). Handlers then check only business rules.
/// </summary>
internal sealed class ValidatingInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request, context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new ValidatingReader<TRequest>(requestStream, context), context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request, context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new ValidatingReader<TRequest>(requestStream, context), responseStream, context);

    private static void Check<T>(T request, ServerCallContext context, bool first = true)
    {
        if (request is not IMessage message || SimulatorPaths.IsControl(context.Method))
        {
            return;
        }

        if (first && ContractSet.MethodsByPath.TryGetValue(context.Method, out var method))
        {
            PurposeOfUseRule.Enforce(method, message);
        }

        InvalidArgument.ThrowIfInvalid(message);
    }

    private sealed class ValidatingReader<T>(IAsyncStreamReader<T> inner, ServerCallContext context) : IAsyncStreamReader<T>
    {
        private bool _first = true;

        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            Check(inner.Current, context, _first);
            _first = false;
            return true;
        }
    }
}
