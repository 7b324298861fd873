using Exchange.Gateway.Contracts;
using Grpc.AspNetCore.Server.Model;

namespace Exchange.Gateway.Forwarding;

/// <summary>
/// Registers every forwarded method of the contract set on <see cref="ExchangeEndpoint"/> at start-up: one generic
/// handler per streaming shape, no hand-written class per service. Methods the gateway answers itself (the
/// directory) are mapped as ordinary services instead.
/// </summary>
internal sealed class GatewayMethodProvider(MethodPlanCatalog catalog) : IServiceMethodProvider<ExchangeEndpoint>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ExchangeEndpoint> context)
    {
        foreach (var plan in catalog.Plans.Where(p => p.Routing is not RoutingPlan.Local))
        {
            var method = RawBytes.MethodOf(plan);
            switch (plan.Type)
            {
                case Grpc.Core.MethodType.Unary:
                    context.AddUnaryMethod(method, [], (endpoint, request, call) => endpoint.UnaryAsync(plan, request, call));
                    break;
                case Grpc.Core.MethodType.ServerStreaming:
                    context.AddServerStreamingMethod(method, [], (endpoint, request, responses, call) => endpoint.ServerStreamingAsync(plan, request, responses, call));
                    break;
                case Grpc.Core.MethodType.ClientStreaming:
                    context.AddClientStreamingMethod(method, [], (endpoint, requests, call) => endpoint.ClientStreamingAsync(plan, requests, call));
                    break;
                default:
                    throw new NotSupportedException($"{plan.Path}: bidirectional streaming is not used by any contract yet");
            }
        }
    }
}
