using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>
/// A settlement that provably never reached the partner (its endpoint refuses connections) is not an unknown
/// outcome: the caller gets UNAVAILABLE, and the request_id is released so that a retry forwards it again.
/// </summary>
public sealed class UnreachablePartnerTests
{
    [Fact]
    public async Task Settle_ToAPartnerRefusingConnections_IsUnavailable_AndReleasesTheRequestId()
    {
        await using var environment = await GatewayEnvironment.StartAsync();
        var region = environment.Regions["320000"];
        var person = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00, skip: 0);
        await region.StopAsync();
        var requestId = Settlements.NewRequestId();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Settlements.SendAsync(environment.ChannelFor(TestParticipants.Hospital), Settlements.Bill(requestId, "320000", person.CitizenId).Bytes()));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.NotEqual("OUTCOME_UNKNOWN", error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        var store = environment.Gateway.Services.GetRequiredService<IIdempotencyStore>();
        var entry = await store.GetAsync(new IdempotencyKey(TestParticipants.Hospital, Settlements.Path, requestId), CancellationToken.None);
        Assert.Null(entry);
    }
}
