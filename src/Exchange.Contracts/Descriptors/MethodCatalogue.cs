using Exchange.Contracts.Directory.V1;
using Google.Protobuf.Reflection;

namespace Exchange.Contracts.Descriptors;

/// <summary>Describes methods for the directory service (X-Road's listMethods), from descriptors and annotations.</summary>
public static class MethodCatalogue
{
    /// <summary>The directory's description of <paramref name="method"/>.</summary>
    public static MethodInfo Describe(MethodDescriptor method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var rules = Annotations.For(method);
        return new MethodInfo
        {
            Name = method.Name,
            Path = ContractSet.PathOf(method),
            Streaming = (method.IsClientStreaming, method.IsServerStreaming) switch
            {
                (false, false) => StreamingKind.Unary,
                (false, true) => StreamingKind.ServerStreaming,
                (true, false) => StreamingKind.ClientStreaming,
                _ => StreamingKind.BidiStreaming,
            },
            Idempotency = Annotations.IdempotencyOf(method) switch
            {
                MethodOptions.Types.IdempotencyLevel.NoSideEffects => Idempotency.NoSideEffects,
                MethodOptions.Types.IdempotencyLevel.Idempotent => Idempotency.Idempotent,
                _ => Idempotency.Unspecified,
            },
            RequiresRequestId = rules.RequestIdField.Length > 0,
            RequiresPurpose = rules.PurposeField.Length > 0,
            FanOut = rules.Routing?.FanOut is not null,
        };
    }

    /// <summary>Every service of the contract set, ordered by full name, with its methods.</summary>
    public static IEnumerable<ServiceInfo> Services() => Services(ContractSet.Services);

    /// <summary>The given services, ordered by full name, with their methods.</summary>
    public static IEnumerable<ServiceInfo> Services(IEnumerable<ServiceDescriptor> services) =>
        services.OrderBy(s => s.FullName, StringComparer.Ordinal).Select(service =>
        {
            var info = new ServiceInfo { FullName = service.FullName };
            info.Methods.Add(service.Methods.Select(Describe));
            return info;
        });
}
