using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.Gateway.Tests.Security;

/// <summary>Valid requests of the medical contract, and what the simulators behind the gateway have received.</summary>
internal static class SecurityRequests
{
    public const string PreSettlePath = "/exchange.medical.v1.CrossRegionSettlementService/PreSettle";
    public const string SettlePath = "/exchange.medical.v1.CrossRegionSettlementService/Settle";

    /// <summary>A valid 30-character msgid of a She County hospital.</summary>
    public const string MessageId = "H34102100001202501021030000001";

    /// <summary>A She County outpatient visit by <paramref name="citizenId"/> with <paramref name="feeItems"/> lines.</summary>
    public static Visit Visit(string citizenId, int feeItems = 2)
    {
        var visit = new Visit
        {
            TreatmentRegion = "341021",
            CitizenId = citizenId,
            Hospital = new Hospital { Code = "H34102100001", Level = HospitalLevel.Secondary },
            VisitId = "V-20250102-0001",
        };
        for (var i = 0; i < feeItems; i++)
        {
            visit.FeeItems.Add(new FeeItem
            {
                ItemCode = $"XA{i:D4}",
                CatalogueClass = i % 2 == 0 ? CatalogueClass.A : CatalogueClass.B,
                Amount = new Money { Fen = 10_000 + i },
            });
        }

        return visit;
    }

    /// <summary>A valid PreSettle for a person insured in <paramref name="insuredRegion"/>.</summary>
    public static PreSettleRequest PreSettle(string insuredRegion, string citizenId, int feeItems = 2) => new()
    {
        InsuredRegion = insuredRegion,
        Visit = Visit(citizenId, feeItems),
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    /// <summary>A valid Settle for a person insured in <paramref name="insuredRegion"/>.</summary>
    public static SettleRequest Settle(string insuredRegion, string citizenId) => new()
    {
        RequestId = MessageId,
        InsuredRegion = insuredRegion,
        Visit = Visit(citizenId),
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    /// <summary>A citizen ID of an active insured person of <paramref name="region"/>.</summary>
    public static string ActiveInsured(GatewayEnvironment environment, string region) =>
        environment.Regions[region].Population.Insurance.First(i => i.Status == InsuranceStatus.Active).CitizenId;

    /// <summary>Calls received by every simulator, all methods together.</summary>
    public static long ReceivedByAllRegions(GatewayEnvironment environment) =>
        environment.Regions.Values.Sum(r => r.Statistics.TotalReceived);

    /// <summary>The google.rpc.ErrorInfo of a refusal; fails when there is none.</summary>
    public static ErrorInfo ErrorInfoOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<ErrorInfo>() ?? throw new Xunit.Sdk.XunitException($"no ErrorInfo in {e.Status}");

    /// <summary>The google.rpc.BadRequest of an INVALID_ARGUMENT; fails when there is none.</summary>
    public static BadRequest BadRequestOf(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<BadRequest>() ?? throw new Xunit.Sdk.XunitException($"no BadRequest in {e.Status}");
}
