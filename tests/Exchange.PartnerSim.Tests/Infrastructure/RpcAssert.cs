using Google.Rpc;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.Infrastructure;

/// <summary>Assertions on gRPC errors and their google.rpc details.</summary>
public static class RpcAssert
{
    /// <summary>Awaits <paramref name="call"/>, asserts it failed with <paramref name="code"/>, returns the exception.</summary>
    public static async Task<RpcException> FailsWith(StatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"expected {code}, got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }

    /// <summary>Asserts PERMISSION_DENIED with google.rpc.ErrorInfo reason PURPOSE_REQUIRED.</summary>
    public static async Task<ErrorInfo> FailsWithPurposeRequired(Func<Task> call)
    {
        var error = await FailsWith(StatusCode.PermissionDenied, call);
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal("PURPOSE_REQUIRED", info!.Reason);
        Assert.Equal("exchange.gov.cn", info.Domain);
        return info;
    }

    /// <summary>Asserts INVALID_ARGUMENT with a BadRequest naming exactly <paramref name="fields"/> (in any order).</summary>
    public static async Task<BadRequest> FailsWithFieldViolations(Func<Task> call, params string[] fields)
    {
        var error = await FailsWith(StatusCode.InvalidArgument, call);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        var badRequest = status!.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(fields.OrderBy(f => f, StringComparer.Ordinal), badRequest!.FieldViolations.Select(v => v.Field).OrderBy(f => f, StringComparer.Ordinal));
        return badRequest;
    }
}
