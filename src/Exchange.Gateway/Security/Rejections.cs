using Exchange.Contracts.Validation;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Gateway.Security;

/// <summary>
/// The gateway's refusals: UNAUTHENTICATED and PERMISSION_DENIED with google.rpc.ErrorInfo (reason and metadata a
/// client can act on), NOT_FOUND for regions without a route. Never carries personal data.
/// </summary>
internal static class Rejections
{
    public static RpcException NoClientCertificate() =>
        Build(Code.Unauthenticated, "a client certificate issued by the exchange CA is required", "CLIENT_CERTIFICATE_REQUIRED");

    public static RpcException UntrustedCertificate(string reason) =>
        Build(Code.Unauthenticated, $"the client certificate is not trusted: {reason}", "CLIENT_CERTIFICATE_UNTRUSTED");

    public static RpcException UnknownParticipant(string participantId) =>
        Build(Code.Unauthenticated, $"participant '{participantId}' is not registered with this gateway", "UNKNOWN_PARTICIPANT", ("participant", participantId));

    public static RpcException MethodNotAllowed(string participantId, string path) =>
        Build(Code.PermissionDenied, $"participant '{participantId}' may not call {path}", "METHOD_NOT_ALLOWED", ("participant", participantId), ("method", path));

    public static RpcException PurposeNotAllowed(string participantId, string purpose) =>
        Build(Code.PermissionDenied, $"participant '{participantId}' may not state purpose {purpose}", "PURPOSE_NOT_ALLOWED", ("participant", participantId), ("purpose", purpose));

    public static RpcException TargetNotAllowed(string participantId, string regionCode) =>
        Build(Code.PermissionDenied, $"participant '{participantId}' may not reach region {regionCode}", "TARGET_NOT_ALLOWED", ("participant", participantId), ("region", regionCode));

    public static RpcException AuditorOnly(string participantId, string path) =>
        Build(Code.PermissionDenied, $"participant '{participantId}' may not call {path}: the audit trail is for auditors only", "AUDITOR_ROLE_REQUIRED", ("participant", participantId), ("method", path));

    public static RpcException NoRoute(string regionCode) =>
        Build(Code.NotFound, $"no route for region {regionCode}: this gateway exchanges with no system serving that code", "NO_ROUTE", ("region", regionCode));

    public static RpcException Unimplemented(string path) =>
        new(new Grpc.Core.Status(StatusCode.Unimplemented, $"{path} is not a method of the exchange contract set"));

    private static RpcException Build(Code code, string message, string reason, params (string Key, string Value)[] metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = PurposeOfUseRule.ErrorDomain };
        foreach (var (key, value) in metadata)
        {
            info.Metadata[key] = value;
        }

        return new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } }.ToRpcException();
    }
}
