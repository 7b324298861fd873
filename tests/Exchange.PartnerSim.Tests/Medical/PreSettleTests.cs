using Exchange.Contracts.Medical.V1;
using Exchange.PartnerSim.Medical;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using static Exchange.PartnerSim.Tests.Medical.Bills;

namespace Exchange.PartnerSim.Tests.Medical;

public sealed class PreSettleTests(MedicalRegion region) : IClassFixture<MedicalRegion>
{
    [Fact]
    public async Task PreSettle_TypicalBill_ReturnsTheCalculatedSplit()
    {
        var seeded = region.TakeEmployee();
        var visit = Typical(seeded);

        var response = await region.Client.PreSettleAsync(region.PreSettleRequest(visit));

        Assert.Equal(SettlementCalculator.Calculate(visit.FeeItems, visit.Hospital.Level, InsuredAccount.From(seeded)), response.Amounts);
        SettlementAssert.Invariants(response.Amounts);
    }

    [Fact]
    public async Task PreSettle_Repeated_ChangesNoBalance()
    {
        var seeded = region.TakeEmployee(minimumBalance: 100_00);
        var visit = Typical(seeded);
        var before = await region.GetPersonAsync(seeded);

        var first = await region.Client.PreSettleAsync(region.PreSettleRequest(visit));
        var second = await region.Client.PreSettleAsync(region.PreSettleRequest(visit));

        Assert.Equal(first, second);
        Assert.Equal(before, await region.GetPersonAsync(seeded));
    }

    [Fact]
    public async Task PreSettle_SuspendedInsurance_FailedPrecondition()
    {
        var seeded = region.TakeSuspended();

        var error = await RpcAssert.FailsWith(
            StatusCode.FailedPrecondition, () => region.Client.PreSettleAsync(region.PreSettleRequest(Typical(seeded))).ResponseAsync);

        Assert.Contains("suspended", error.Status.Detail, StringComparison.Ordinal);
        SettlementAssert.DoesNotMention(error, seeded.CitizenId);
    }

    [Fact]
    public async Task PreSettle_UnknownPerson_NotFound()
    {
        var stranger = Exchange.Domain.Identifiers.CitizenId.Create("341021", new DateOnly(1975, 3, 9), 55, new DateOnly(2025, 6, 1)).Value;

        var error = await RpcAssert.FailsWith(
            StatusCode.NotFound,
            () => region.Client.PreSettleAsync(region.PreSettleRequest(Visit(stranger, HospitalLevel.Primary, Fee(CatalogueClass.A, 100_00)))).ResponseAsync);

        SettlementAssert.DoesNotMention(error, stranger);
    }
}
