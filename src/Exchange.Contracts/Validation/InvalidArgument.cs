using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Contracts.Validation;

/// <summary>Builds INVALID_ARGUMENT errors carrying google.rpc.BadRequest field violations.</summary>
public static class InvalidArgument
{
    /// <summary>An INVALID_ARGUMENT exception listing every violation.</summary>
    public static RpcException For(IReadOnlyList<BadRequest.Types.FieldViolation> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(violations);
        var summary = string.Join("; ", violations.Select(v => v.Field.Length > 0 ? $"{v.Field} {v.Description}" : v.Description));
        return new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"invalid request: {summary}",
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }

    /// <summary>An INVALID_ARGUMENT exception for one field.</summary>
    public static RpcException For(string field, string description) =>
        For([new BadRequest.Types.FieldViolation { Field = field, Description = description }]);

    /// <summary>Throws INVALID_ARGUMENT if <paramref name="message"/> breaks its contract's annotations.</summary>
    public static void ThrowIfInvalid(Google.Protobuf.IMessage message)
    {
        var violations = MessageValidator.Validate(message);
        if (violations.Count > 0)
        {
            throw For(violations);
        }
    }
}
