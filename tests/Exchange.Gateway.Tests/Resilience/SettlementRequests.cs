using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Population;
using Client = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>Requests of cross-region settlement for the fault tests: a She County hospital visit of a partner region's insured.</summary>
internal static class SettlementRequests
{
    private const string HospitalCode = "H34102100001";

    /// <summary>The county hospital's client of the gateway.</summary>
    public static Client HospitalClient(GatewayEnvironment environment) => new(environment.ChannelFor(TestParticipants.Hospital));

    /// <summary>A pre-settlement (NO_SIDE_EFFECTS) of the <paramref name="n"/>-th seeded employee of <paramref name="population"/>.</summary>
    public static PreSettleRequest PreSettle(RegionPopulation population, int n) => new()
    {
        InsuredRegion = population.RegionCode,
        Visit = Visit(population, n),
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    /// <summary>A settlement (side-effecting, under its own request_id) of the <paramref name="n"/>-th seeded employee.</summary>
    public static SettleRequest Settle(RegionPopulation population, int n) => new()
    {
        RequestId = SettlementMessageId.Create(HospitalCode, new DateTime(2026, 6, 1, 10, 0, 0, DateTimeKind.Unspecified), sequence: n).Value,
        InsuredRegion = population.RegionCode,
        Visit = Visit(population, n),
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    /// <summary>A look-up (NO_SIDE_EFFECTS) of a seeded employee of <paramref name="population"/>.</summary>
    public static GetInsuredPersonRequest InsuredPerson(RegionPopulation population, int n = 0) => new()
    {
        InsuredRegion = population.RegionCode,
        CitizenId = Seeded.ActiveEmployee(population, minimumBalance: 0, skip: n % 5).CitizenId,
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    private static Visit Visit(RegionPopulation population, int n) => new()
    {
        TreatmentRegion = "341021",
        CitizenId = Seeded.ActiveEmployee(population, minimumBalance: 0, skip: n % 5).CitizenId,
        Hospital = new Hospital { Code = HospitalCode, Level = HospitalLevel.Secondary },
        VisitId = $"MDT2026060110{n:D4}",
        FeeItems =
        {
            new FeeItem { ItemCode = "XA01AAA001", CatalogueClass = CatalogueClass.A, Amount = new Money { Fen = 120_00 } },
            new FeeItem { ItemCode = "XB02BBB002", CatalogueClass = CatalogueClass.B, Amount = new Money { Fen = 80_00 } },
        },
    };
}
