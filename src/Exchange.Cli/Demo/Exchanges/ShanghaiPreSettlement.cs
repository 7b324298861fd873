using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;

namespace Exchange.Cli.Demo.Exchanges;

/// <summary>
/// A Shanghai hospital, through the Shanghai platform, asks She County what its fund would pay for a She
/// County-insured patient treated in Shanghai (pre-settlement: no balance changes).
/// </summary>
internal sealed class ShanghaiPreSettlement : IDemoExchange
{
    private const string TreatmentRegion = "310000";

    public DemoDirection Direction => DemoDirection.PartnerToCounty;

    public string Caller => "shanghai-platform";

    public string Target => SandboxDefaults.CountyRegion;

    public string Description => "pre-settles the bill of a She County-insured patient treated in Shanghai";

    public async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var patient = SandboxPeople.InsuredPatient(context.Population(SandboxDefaults.CountyRegion));
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(context.As(Caller));
        var visit = DemoBills.Outpatient(context, patient.CitizenId, TreatmentRegion, SandboxDefaults.ShanghaiHospitalCode, HospitalLevel.Tertiary);

        var amounts = (await client.PreSettleAsync(
            new PreSettleRequest { InsuredRegion = SandboxDefaults.CountyRegion, Visit = visit, Purpose = PurposeOfUse.MedicalSettlement },
            context.Call(cancellationToken))).Amounts;
        if (amounts.Total.Fen != amounts.FundPayment.Fen + amounts.PersonalPayment.Fen)
        {
            throw new DemoFailure("the split does not add up: total ≠ fund + personal");
        }

        return $"total {DemoBills.Yuan(amounts.Total)}: fund would pay {DemoBills.Yuan(amounts.FundPayment)}, "
            + $"patient {DemoBills.Yuan(amounts.PersonalPayment)} (deductible applied {DemoBills.Yuan(amounts.DeductibleApplied)})";
    }
}
