using Exchange.Gateway.Tests.Forwarding;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>What the gateway's resilience refusals must carry.</summary>
internal static class ResilienceErrors
{
    /// <summary>Asserts the status code and the ErrorInfo reason, that nothing was forwarded, and returns the ErrorInfo.</summary>
    public static ErrorInfo AssertRefusal(RpcException error, StatusCode code, string reason)
    {
        Assert.True(code == error.StatusCode, $"expected {code}, got {error.StatusCode}: {error.Status.Detail}");
        var info = GatewayAssert.ErrorInfoOf(error);
        Assert.Equal(reason, info.Reason);
        Assert.Equal("exchange.gov.cn", info.Domain);
        Assert.Equal("false", info.Metadata["forwarded"]);
        return info;
    }

    /// <summary>The ErrorInfo reason of an error, or null when it has none.</summary>
    public static string? ReasonOf(RpcException error) => error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
}
