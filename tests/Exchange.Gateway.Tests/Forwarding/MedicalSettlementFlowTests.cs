using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.Domain.Money;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Population;
using Client = Exchange.Contracts.Medical.V1.CrossRegionSettlementService.CrossRegionSettlementServiceClient;

namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>
/// Cross-region settlement through the gateway in both directions: a She County hospital settling a Shanghai-insured
/// patient with Shanghai's fund, and Shanghai's platform settling a She County-insured patient treated in Shanghai
/// with the county's fund. Each answer is checked against what the insured region holds.
/// </summary>
public sealed class MedicalSettlementFlowTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task CountyHospital_SettlesShanghaiInsuredPatient_WithShanghaisFundOnly()
    {
        await AssertSettlementFlowAsync(TestParticipants.Hospital, insuredRegion: "310000", treatmentRegion: "341021", hospitalCode: "H34102100001");
    }

    [Fact]
    public async Task ShanghaiPlatform_SettlesCountyInsuredPatientTreatedInShanghai_WithCountysFundOnly()
    {
        await AssertSettlementFlowAsync(TestParticipants.ShanghaiPlatform, insuredRegion: "341021", treatmentRegion: "310101", hospitalCode: "H31010100007");
    }

    private async Task AssertSettlementFlowAsync(string participant, string insuredRegion, string treatmentRegion, string hospitalCode)
    {
        var environment = fixture.Environment;
        var region = environment.Regions[insuredRegion];
        var seeded = Seeded.ActiveEmployee(region.Population, minimumBalance: 100_00);
        var client = new Client(environment.ChannelFor(participant));
        var traffic = RegionTraffic.Start(environment);

        // 1101: the person as the insured region holds them.
        var before = (await client.GetInsuredPersonAsync(new GetInsuredPersonRequest
        {
            InsuredRegion = insuredRegion,
            CitizenId = seeded.CitizenId,
            Purpose = PurposeOfUse.MedicalSettlement,
        })).Person;
        Assert.Equal(seeded.PersonNumber, before.PersonNumber);
        Assert.Equal(region.Population.ResidentsById[seeded.CitizenId].Name, before.Name);
        Assert.Equal(insuredRegion, before.InsuredRegion);
        Assert.Equal(InsuranceType.Employee, before.InsuranceType);
        Assert.Equal(InsuranceStatus.Active, before.Status);
        Assert.Equal(seeded.AccountBalanceFen, before.AccountBalance.Fen);
        Assert.Equal(seeded.DeductibleRemainingFen, before.DeductibleRemaining.Fen);
        Assert.Equal(seeded.CapRemainingFen, before.CapRemaining.Fen);

        // 2206: the split the region's plan gives for this bill, computed here from the seeded plan.
        var visit = Visit(seeded.CitizenId, treatmentRegion, hospitalCode);
        var expected = ExpectedSplit(seeded, total: 550_00, eligible: 300_00 + (200_00 - 20_00));
        var preSettled = (await client.PreSettleAsync(new PreSettleRequest
        {
            InsuredRegion = insuredRegion,
            Visit = visit,
            Purpose = PurposeOfUse.MedicalSettlement,
        })).Amounts;
        Assert.Equal(expected, preSettled);

        // 2207: settled under a msgid, with the same split.
        var requestId = SettlementMessageId.Create(hospitalCode, new DateTime(2025, 6, 1, 9, 30, 0, DateTimeKind.Unspecified), sequence: 1).Value;
        var settlement = (await client.SettleAsync(new SettleRequest
        {
            RequestId = requestId,
            InsuredRegion = insuredRegion,
            Visit = visit,
            Purpose = PurposeOfUse.MedicalSettlement,
        })).Settlement;
        Assert.Equal(SettlementState.Settled, settlement.State);
        Assert.Equal(requestId, settlement.RequestId);
        Assert.Equal(insuredRegion, settlement.InsuredRegion);
        Assert.Equal(treatmentRegion, settlement.TreatmentRegion);
        Assert.Equal(hospitalCode, settlement.HospitalCode);
        Assert.Equal(seeded.PersonNumber, settlement.PersonNumber);
        Assert.Equal(expected, settlement.Amounts);

        // Resolving by request_id finds the same settlement, and the person's balances moved by exactly its split.
        var found = (await client.GetSettlementAsync(new GetSettlementRequest
        {
            InsuredRegion = insuredRegion,
            RequestId = requestId,
            Purpose = PurposeOfUse.MedicalSettlement,
        })).Settlement;
        Assert.Equal(settlement, found);
        var after = (await client.GetInsuredPersonAsync(new GetInsuredPersonRequest
        {
            InsuredRegion = insuredRegion,
            CitizenId = seeded.CitizenId,
            Purpose = PurposeOfUse.MedicalSettlement,
        })).Person;
        Assert.Equal(seeded.AccountBalanceFen - expected.AccountPayment.Fen, after.AccountBalance.Fen);
        Assert.Equal(seeded.DeductibleRemainingFen - expected.DeductibleApplied.Fen, after.DeductibleRemaining.Fen);
        Assert.Equal(seeded.CapRemainingFen - expected.FundPayment.Fen, after.CapRemaining.Fen);

        // 3201: the day's totals between the treatment region (by its province) and the insured region.
        var summary = await client.GetReconciliationSummaryAsync(new GetReconciliationSummaryRequest
        {
            InsuredRegion = insuredRegion,
            TreatmentRegion = treatmentRegion[..2] + "0000",
            SettlementDate = settlement.SettlementDate,
        });
        Assert.Equal(1, summary.SettledCount);
        Assert.Equal(0, summary.UndoneCount);
        Assert.Equal(expected.Total, summary.Total);
        Assert.Equal(expected.FundPayment, summary.FundPayment);
        Assert.Equal(expected.AccountPayment, summary.AccountPayment);
        Assert.Equal(expected.CashPayment, summary.CashPayment);

        traffic.AssertExactly(
            (insuredRegion, ExchangePaths.Medical("GetInsuredPerson"), 2),
            (insuredRegion, ExchangePaths.Medical("PreSettle"), 1),
            (insuredRegion, ExchangePaths.Medical("Settle"), 1),
            (insuredRegion, ExchangePaths.Medical("GetSettlement"), 1),
            (insuredRegion, ExchangePaths.Medical("GetReconciliationSummary"), 1));
    }

    /// <summary>300.00 class A, 200.00 class B (10% self-paid first), 50.00 outside the catalogue, at a secondary hospital.</summary>
    private static Visit Visit(string citizenId, string treatmentRegion, string hospitalCode) => new()
    {
        TreatmentRegion = treatmentRegion,
        CitizenId = citizenId,
        Hospital = new Hospital { Code = hospitalCode, Level = HospitalLevel.Secondary },
        VisitId = "MDT20250601000042",
        FeeItems =
        {
            new FeeItem { ItemCode = "XA01AAA001", CatalogueClass = CatalogueClass.A, Amount = new Money { Fen = 300_00 } },
            new FeeItem { ItemCode = "XB02BBB002", CatalogueClass = CatalogueClass.B, Amount = new Money { Fen = 200_00 } },
            new FeeItem { ItemCode = "XC03CCC003", CatalogueClass = CatalogueClass.OutOfCatalogue, Amount = new Money { Fen = 50_00 } },
        },
    };

    /// <summary>The split by the outpatient rules: deductible first, the fund's ratio of the rest up to the cap, the remainder from the account then cash.</summary>
    private static SettlementAmounts ExpectedSplit(SeededInsurance person, long total, long eligible)
    {
        var deductible = Math.Min(eligible, person.DeductibleRemainingFen);
        var fund = Math.Min(Fen.ApplyRatio(eligible - deductible, person.SecondaryRatioBp), person.CapRemainingFen);
        var personal = total - fund;
        var account = Math.Min(personal, person.AccountBalanceFen);
        return new SettlementAmounts
        {
            Total = new Money { Fen = total },
            Eligible = new Money { Fen = eligible },
            DeductibleApplied = new Money { Fen = deductible },
            FundPayment = new Money { Fen = fund },
            PersonalPayment = new Money { Fen = personal },
            AccountPayment = new Money { Fen = account },
            CashPayment = new Money { Fen = personal - account },
            AccountBalanceAfter = new Money { Fen = person.AccountBalanceFen - account },
            FundPayments = { new FundPayment { FundType = FundType.BasicPooled, Amount = new Money { Fen = fund } } },
        };
    }
}
