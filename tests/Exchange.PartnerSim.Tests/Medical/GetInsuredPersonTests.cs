using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.Medical;

public sealed class GetInsuredPersonTests(MedicalRegion region) : IClassFixture<MedicalRegion>
{
    [Fact]
    public async Task GetInsuredPerson_ActiveEmployee_ReturnsPlanBalancesAndName()
    {
        var seeded = region.TakeEmployee();

        var person = await region.GetPersonAsync(seeded);

        Assert.Equal(seeded.PersonNumber, person.PersonNumber);
        Assert.Equal(region.Region.Host.Population.ResidentsById[seeded.CitizenId].Name, person.Name);
        Assert.Equal(region.Code, person.InsuredRegion);
        Assert.Equal(InsuranceType.Employee, person.InsuranceType);
        Assert.Equal(InsuranceStatus.Active, person.Status);
        Assert.Equal(seeded.AnnualDeductibleFen, person.Plan.AnnualDeductible.Fen);
        Assert.Equal(seeded.AnnualCapFen, person.Plan.AnnualCap.Fen);
        Assert.Equal(
            (seeded.PrimaryRatioBp, seeded.SecondaryRatioBp, seeded.TertiaryRatioBp),
            (person.Plan.PrimaryRatioBp, person.Plan.SecondaryRatioBp, person.Plan.TertiaryRatioBp));
        Assert.Equal(seeded.AccountBalanceFen, person.AccountBalance.Fen);
        Assert.Equal(seeded.DeductibleRemainingFen, person.DeductibleRemaining.Fen);
        Assert.Equal(seeded.CapRemainingFen, person.CapRemaining.Fen);
    }

    [Fact]
    public async Task GetInsuredPerson_Resident_HasNoAccountBalance()
    {
        var seeded = region.TakeResident();

        var person = await region.GetPersonAsync(seeded);

        Assert.Equal(InsuranceType.Resident, person.InsuranceType);
        Assert.Equal(0, person.AccountBalance.Fen);
    }

    [Fact]
    public async Task GetInsuredPerson_Suspended_ReportsSuspendedStatus()
    {
        var seeded = region.TakeSuspended();

        var person = await region.GetPersonAsync(seeded);

        Assert.Equal(InsuranceStatus.Suspended, person.Status);
    }

    [Fact]
    public async Task GetInsuredPerson_UnknownCitizenId_NotFoundWithoutTheId()
    {
        var stranger = CitizenId.Create("341021", new DateOnly(1980, 5, 17), 123, new DateOnly(2025, 6, 1)).Value;
        Assert.DoesNotContain(region.Region.Host.Population.Insurance, i => i.CitizenId == stranger);

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Get(region.Code, stranger));

        Assert.Equal($"no insured person with that citizen ID in region {region.Code}", error.Status.Detail);
        SettlementAssert.DoesNotMention(error, stranger);
    }

    [Fact]
    public async Task GetInsuredPerson_RegionNotServed_NotFoundNamingTheRegions()
    {
        var seeded = region.TakeEmployee();

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => Get("320000", seeded.CitizenId));

        Assert.Contains("insured_region 320000", error.Status.Detail, StringComparison.Ordinal);
        SettlementAssert.DoesNotMention(error, seeded.CitizenId);
    }

    [Fact]
    public async Task GetInsuredPerson_MalformedCitizenId_InvalidArgumentOnCitizenId()
    {
        var malformed = region.TakeEmployee().CitizenId[..17] + "Y";

        var badRequest = await RpcAssert.FailsWithFieldViolations(() => Get(region.Code, malformed), "citizen_id");

        Assert.DoesNotContain(malformed, badRequest.FieldViolations[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetInsuredPerson_MalformedInsuredRegion_InvalidArgumentOnInsuredRegion() =>
        await RpcAssert.FailsWithFieldViolations(() => Get("31000", region.TakeEmployee().CitizenId), "insured_region");

    private async Task Get(string insuredRegion, string citizenId) =>
        await region.Client.GetInsuredPersonAsync(new GetInsuredPersonRequest
        {
            InsuredRegion = insuredRegion,
            CitizenId = citizenId,
            Purpose = PurposeOfUse.MedicalSettlement,
        });
}
