namespace Exchange.Gateway.Telemetry;

/// <summary>
/// The gateway's log messages, with stable event ids. They name participants, methods, regions and endpoints only:
/// never a field of a message.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Gateway {NodeId} serving {MethodCount} methods on {Address}; {RouteCount} routes")]
    public static partial void Started(ILogger logger, string nodeId, int methodCount, Uri address, int routeCount);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Region {Region} endpoint {Endpoint} failed {Method} with {Status}")]
    public static partial void RegionCallFailed(ILogger logger, string region, Uri endpoint, string method, Grpc.Core.StatusCode status);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Refused {Method} for {Participant}: {Status} {Reason}")]
    public static partial void Refused(ILogger logger, string method, string participant, Grpc.Core.StatusCode status, string reason);
}
