using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Money;
using Exchange.PartnerSim.Medical;
using Exchange.PartnerSim.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Exchange.PartnerSim.Tests.Medical.Bills;

namespace Exchange.PartnerSim.Tests.Medical;

/// <summary>Bad input to PreSettle and Settle: exact status codes and field paths, and no ID number in any message.</summary>
public sealed class SettlementValidationTests(MedicalRegion region) : IClassFixture<MedicalRegion>
{
    public static TheoryData<string, string[]> VisitCases => new()
    {
        { "malformed citizen_id", ["visit.citizen_id"] },
        { "malformed insured_region", ["insured_region"] },
        { "malformed treatment_region", ["visit.treatment_region"] },
        { "missing visit", ["visit"] },
        { "missing hospital", ["visit.hospital"] },
        { "empty fee_items", ["visit.fee_items"] },
        { "zero amount", ["visit.fee_items[1].amount.fen"] },
        { "unspecified catalogue class", ["visit.fee_items[0].catalogue_class"] },
        { "unknown catalogue class", ["visit.fee_items[0].catalogue_class"] },
        { "unknown hospital level", ["visit.hospital.level"] },
        { "same treatment and insured region", ["visit.treatment_region"] },
        { "treatment inside the insured region", ["visit.treatment_region"] },
        { "treatment in another district of the insured region", ["visit.treatment_region"] },
        { "lower-case hospital code", ["visit.hospital.code"] },
        { "11-character hospital code", ["visit.hospital.code"] },
        { "31-character visit_id", ["visit.visit_id"] },
        { "501 fee items", ["visit.fee_items"] },
        { "total above the largest amount", ["visit.fee_items"] },
        { "several rules broken", ["visit.fee_items[0].amount.fen", "visit.hospital.code", "visit.visit_id"] },
    };

    public static TheoryData<string, string[]> SettleOnlyCases => new()
    {
        { "malformed request_id", ["request_id"] },
        { "missing request_id", ["request_id"] },
    };

    [Theory]
    [MemberData(nameof(VisitCases))]
    public async Task PreSettle_InvalidVisit_InvalidArgumentNamingTheFields(string breakage, string[] fields)
    {
        var person = region.TakeEmployee();
        var request = Break(breakage, region.SettleRequest(Typical(person)));

        var badRequest = await RpcAssert.FailsWithFieldViolations(
            () => region.Client.PreSettleAsync(new PreSettleRequest
            {
                InsuredRegion = request.InsuredRegion,
                Visit = request.Visit,
                Purpose = request.Purpose,
            }).ResponseAsync,
            fields);

        Assert.All(badRequest.FieldViolations, v => Assert.DoesNotContain(person.CitizenId, v.Description, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(VisitCases))]
    [MemberData(nameof(SettleOnlyCases))]
    public async Task Settle_InvalidRequest_InvalidArgumentNamingTheFieldsAndNothingSettled(string breakage, string[] fields)
    {
        var person = region.TakeEmployee();
        var before = await region.GetPersonAsync(person);
        var settlements = Counter.SettlementCount;
        var request = Break(breakage, region.SettleRequest(Typical(person)));

        var error = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => region.Client.SettleAsync(request).ResponseAsync);

        await RpcAssert.FailsWithFieldViolations(() => Task.FromException(error), fields);
        SettlementAssert.DoesNotMention(error, person.CitizenId);
        Assert.Equal(settlements, Counter.SettlementCount);
        Assert.Equal(before, await region.GetPersonAsync(person));
    }

    [Fact]
    public async Task Settle_RegionNotServed_NotFoundNamingTheRegionsNotThePerson()
    {
        var person = region.TakeEmployee();
        var request = region.SettleRequest(Typical(person));
        request.InsuredRegion = "320000";

        var error = await RpcAssert.FailsWith(StatusCode.NotFound, () => region.Client.SettleAsync(request).ResponseAsync);

        Assert.Equal(
            $"insured_region 320000 is not served by region {region.Code}; route the request to the region that holds the data",
            error.Status.Detail);
        SettlementAssert.DoesNotMention(error, person.CitizenId);
    }

    [Fact]
    public async Task PreSettle_RegionNotServed_NotFound()
    {
        var request = region.PreSettleRequest(Typical(region.TakeEmployee()));
        request.InsuredRegion = "341021";
        request.Visit.TreatmentRegion = "310104";

        await RpcAssert.FailsWith(StatusCode.NotFound, () => region.Client.PreSettleAsync(request).ResponseAsync);
    }

    [Fact]
    public async Task Settle_InsuredRegionInsideTheServedRegion_IsServed()
    {
        var person = region.TakeEmployee();
        var request = region.SettleRequest(Typical(person));
        request.InsuredRegion = "310104";

        var settlement = (await region.Client.SettleAsync(request)).Settlement;

        Assert.Equal(SettlementState.Settled, settlement.State);
    }

    [Fact]
    public async Task Settle_FiveHundredFeeItems_IsAccepted()
    {
        var person = region.TakeEmployee();
        var visit = Visit(person, HospitalLevel.Primary, Enumerable.Range(0, VisitRules.MaxFeeItems).Select(_ => Fee(CatalogueClass.A, 1)).ToArray());

        var settlement = await region.SettleAsync(visit);

        Assert.Equal(500, settlement.Amounts.Total.Fen);
    }

    private ISettlementCounter Counter => region.Region.Host.Services.GetRequiredService<ISettlementCounter>();

    private SettleRequest Break(string breakage, SettleRequest request)
    {
        var visit = request.Visit;
        switch (breakage)
        {
            case "malformed citizen_id": visit.CitizenId = visit.CitizenId[..17] + (visit.CitizenId[17] == '1' ? "2" : "1"); break;
            case "malformed insured_region": request.InsuredRegion = "31000"; break;
            case "malformed treatment_region": visit.TreatmentRegion = "349999"; break;
            case "missing visit": request.Visit = null; break;
            case "missing hospital": visit.Hospital = null; break;
            case "empty fee_items": visit.FeeItems.Clear(); break;
            case "zero amount": visit.FeeItems[1].Amount.Fen = 0; break;
            case "unspecified catalogue class": visit.FeeItems[0].CatalogueClass = CatalogueClass.Unspecified; break;
            case "unknown catalogue class": visit.FeeItems[0].CatalogueClass = (CatalogueClass)9; break;
            case "unknown hospital level": visit.Hospital.Level = (HospitalLevel)7; break;
            case "same treatment and insured region": visit.TreatmentRegion = region.Code; break;
            case "treatment inside the insured region": visit.TreatmentRegion = "310104"; break;
            case "treatment in another district of the insured region":
                request.InsuredRegion = "310104";
                visit.TreatmentRegion = "310115";
                break;
            case "lower-case hospital code": visit.Hospital.Code = "h34102100001"; break;
            case "11-character hospital code": visit.Hospital.Code = "H3410210000"; break;
            case "31-character visit_id": visit.VisitId = new string('7', 31); break;
            case "501 fee items": visit.FeeItems.Add(Enumerable.Range(0, 498).Select(_ => Fee(CatalogueClass.A, 1))); break;
            case "total above the largest amount":
                visit.FeeItems.Clear();
                visit.FeeItems.Add([Fee(CatalogueClass.A, Fen.MaxAmount), Fee(CatalogueClass.A, 1)]);
                break;
            case "several rules broken":
                visit.FeeItems[0].Amount.Fen = 0;
                visit.Hospital.Code = "H341021";
                visit.VisitId = new string('7', 31);
                break;
            case "malformed request_id": request.RequestId = request.RequestId[..29]; break;
            case "missing request_id": request.RequestId = ""; break;
            default: throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "no such breakage");
        }

        return request;
    }
}
