using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Exchange.PartnerSim.Observation;

/// <summary>The outermost interceptor: counts every exchange call and how it ended (control calls are not counted).</summary>
internal sealed class ObservingInterceptor(CallStatistics statistics) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () => { await continuation(request, responseStream, context).ConfigureAwait(false); return true; });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () => { await continuation(requestStream, responseStream, context).ConfigureAwait(false); return true; });

    private async Task<T> ObserveAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        if (SimulatorPaths.IsControl(context.Method))
        {
            return await call().ConfigureAwait(false);
        }

        statistics.Received(context);
        try
        {
            var result = await call().ConfigureAwait(false);
            statistics.Completed(context.Method, null);
            return result;
        }
        catch (Exception e)
        {
            statistics.Completed(context.Method, e);
            throw;
        }
    }
}
