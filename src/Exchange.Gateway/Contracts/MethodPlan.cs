using Exchange.Contracts.Descriptors;
using Exchange.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using V1Routing = Exchange.Contracts.V1.Routing;

namespace Exchange.Gateway.Contracts;

/// <summary>
/// Everything the gateway needs to know about one method, compiled once at start-up from its descriptor and
/// annotations, so that the request path does no descriptor or option lookups.
/// </summary>
internal sealed class MethodPlan
{
    private readonly bool[] _redactFor;

    private MethodPlan(MethodDescriptor method)
    {
        Descriptor = method;
        Path = ContractSet.PathOf(method);
        ServiceName = method.Service.FullName;
        MethodName = method.Name;
        Type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            _ => MethodType.DuplexStreaming,
        };
        RequestParser = method.InputType.Parser;
        ResponseParser = method.OutputType.Parser;
        var rules = Annotations.For(method);
        Routing = rules.Routing?.TargetCase switch
        {
            V1Routing.TargetOneofCase.RegionField => new RoutingPlan.ByRegionField(FieldPath.Resolve(method.InputType, rules.Routing.RegionField)),
            V1Routing.TargetOneofCase.FanOut => new RoutingPlan.FanOut(
                method.OutputType.FindFieldByName(rules.Routing.FanOut.MergeField)
                    ?? throw new InvalidOperationException($"{Path}: fan-out merge field '{rules.Routing.FanOut.MergeField}' does not exist"),
                method.OutputType.FindFieldByName(rules.Routing.FanOut.RegionStatusField)
                    ?? throw new InvalidOperationException($"{Path}: fan-out status field '{rules.Routing.FanOut.RegionStatusField}' does not exist")),
            _ => new RoutingPlan.Local(),
        };
        RequestIdField = rules.RequestIdField.Length > 0 ? FieldPath.Resolve(method.InputType, rules.RequestIdField) : null;
        PurposeField = rules.PurposeField.Length > 0 ? FieldPath.Resolve(method.InputType, rules.PurposeField).Leaf : null;
        SubjectFields = SensitivityMap.SubjectFieldsOf(method.InputType);
        SubjectPaths = [.. SubjectFields.Select(path => FieldPath.Resolve(method.InputType, path))];
        Idempotency = Annotations.IdempotencyOf(method);
        _redactFor = [.. Enum.GetValues<Sensitivity>().Select(level => SensitivityMap.HasFieldAbove(method.OutputType, level))];
    }

    /// <summary>The method's descriptor.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>"/package.Service/Method".</summary>
    public string Path { get; }

    /// <summary>Full service name.</summary>
    public string ServiceName { get; }

    /// <summary>Method name.</summary>
    public string MethodName { get; }

    /// <summary>Name of the gateway's server span of an exchange of the method (made once, not per exchange).</summary>
    public string ExchangeSpanName => field ??= $"exchange {ServiceName}/{MethodName}";

    /// <summary>Name of the gateway's client span of a call forwarding the method to a region.</summary>
    public string ForwardSpanName => field ??= $"forward {ServiceName}/{MethodName}";

    /// <summary>Streaming shape.</summary>
    public MethodType Type { get; }

    /// <summary>Parses the request type.</summary>
    public MessageParser RequestParser { get; }

    /// <summary>Parses the response type.</summary>
    public MessageParser ResponseParser { get; }

    /// <summary>How the exchange is routed.</summary>
    public RoutingPlan Routing { get; }

    /// <summary>The request_id field of a side-effecting method, or null.</summary>
    public FieldPath? RequestIdField { get; }

    /// <summary>The purpose-of-use field, or null when the method touches no personal data.</summary>
    public FieldDescriptor? PurposeField { get; }

    /// <summary>Request fields that identify the data subject (hashed into audit records).</summary>
    public IReadOnlyList<string> SubjectFields { get; }

    /// <summary><see cref="SubjectFields"/> resolved, for reading them from the parsed request.</summary>
    public IReadOnlyList<FieldPath> SubjectPaths { get; }

    /// <summary>The standard idempotency_level.</summary>
    public MethodOptions.Types.IdempotencyLevel Idempotency { get; }

    /// <summary>Whether a response must be parsed and cleared for a caller of this clearance.</summary>
    public bool NeedsRedaction(Sensitivity clearance) => _redactFor[(int)clearance];

    /// <summary>Compiles the plan of one method.</summary>
    public static MethodPlan Compile(MethodDescriptor method) => new(method);
}
