using Exchange.Contracts.Medical.V1;
using Grpc.Core;

namespace Exchange.PartnerSim.Medical;

/// <summary>
/// The statuses the settlement domain answers with. Messages name region codes and settlement ids (ours, not
/// personal) and never a citizen ID, a name, an amount or a value the caller chose.
/// </summary>
internal static class SettlementErrors
{
    public static RpcException NoInsuredPerson(string region) => new(new Status(
        StatusCode.NotFound,
        $"no insured person with that citizen ID in region {region}"));

    public static RpcException InsuranceSuspended(string region) => new(new Status(
        StatusCode.FailedPrecondition,
        $"the person's insurance in region {region} is suspended; settlements are refused until it is active again"));

    public static RpcException RequestIdReversed() => new(new Status(
        StatusCode.FailedPrecondition,
        "request_id was reversed before it arrived, so it is never settled; settle the visit again under a new request_id"));

    public static RpcException NoSuchSettlement(string region) => new(new Status(
        StatusCode.NotFound,
        $"no settlement with that settlement_id in region {region}"));

    public static RpcException NoSettlementForRequestId(string region) => new(new Status(
        StatusCode.NotFound,
        $"no settlement with that request_id in region {region}: the request never arrived, or it was reversed before it arrived"));

    public static RpcException NotTheSettlementsPerson(string settlementId) => new(new Status(
        StatusCode.FailedPrecondition,
        $"citizen_id is not the person of settlement {settlementId}"));

    public static RpcException AlreadyUndone(string settlementId, SettlementState state) => new(new Status(
        StatusCode.FailedPrecondition,
        $"settlement {settlementId} is already {(state == SettlementState.Reversed ? "reversed" : "cancelled")}; only a settled settlement can be cancelled"));
}
