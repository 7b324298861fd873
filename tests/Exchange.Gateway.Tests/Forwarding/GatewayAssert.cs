using Google.Rpc;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>Assertions on the errors a caller of the gateway sees.</summary>
internal static class GatewayAssert
{
    /// <summary>Awaits <paramref name="call"/> and asserts it failed with exactly this status code and message.</summary>
    public static async Task<RpcException> FailsWith(StatusCode code, string message, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"expected {code}, got {error.StatusCode}: {error.Status.Detail}");
        Assert.Equal(message, error.Status.Detail);
        return error;
    }

    /// <summary>The google.rpc.ErrorInfo of an error; fails if it has none.</summary>
    public static ErrorInfo ErrorInfoOf(RpcException error)
    {
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        return info;
    }

    /// <summary>The google.rpc.BadRequest of an error; fails if it has none.</summary>
    public static BadRequest BadRequestOf(RpcException error)
    {
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        return badRequest;
    }
}
