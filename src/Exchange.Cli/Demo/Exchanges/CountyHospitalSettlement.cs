using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;

namespace Exchange.Cli.Demo.Exchanges;

/// <summary>
/// She County People's Hospital settles the outpatient bill of a patient insured in Shanghai: pre-settlement, then
/// settlement under a fresh msgid, then the settlement read back by that msgid, the way a hospital resolves an
/// outcome it is unsure of.
/// </summary>
internal sealed class CountyHospitalSettlement : IDemoExchange
{
    private const string InsuredRegion = "310000";

    public DemoDirection Direction => DemoDirection.CountyToPartner;

    public string Caller => "county-hospital";

    public string Target => InsuredRegion;

    public string Description => "pre-settles and settles a Shanghai-insured patient's outpatient bill";

    public async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var patient = SandboxPeople.InsuredPatient(context.Population(InsuredRegion));
        var client = new CrossRegionSettlementService.CrossRegionSettlementServiceClient(context.As(Caller));
        var visit = DemoBills.Outpatient(context, patient.CitizenId, SandboxDefaults.CountyRegion, SandboxDefaults.CountyHospitalCode, HospitalLevel.Secondary);

        var preSettled = await client.PreSettleAsync(
            new PreSettleRequest { InsuredRegion = InsuredRegion, Visit = visit, Purpose = PurposeOfUse.MedicalSettlement },
            context.Call(cancellationToken));

        // The msgid is fixed before sending: were the outcome unknown, it is the only key to ask about or reverse.
        var requestId = SettlementMessageId.Create(SandboxDefaults.CountyHospitalCode, context.ChinaNow, context.NextSequence()).Value;
        var settled = (await client.SettleAsync(
            new SettleRequest { RequestId = requestId, InsuredRegion = InsuredRegion, Visit = visit, Purpose = PurposeOfUse.MedicalSettlement },
            context.Call(cancellationToken))).Settlement;

        var found = (await client.GetSettlementAsync(
            new GetSettlementRequest { InsuredRegion = InsuredRegion, RequestId = requestId, Purpose = PurposeOfUse.MedicalSettlement },
            context.Call(cancellationToken))).Settlement;
        if (found.SettlementId != settled.SettlementId || found.State != SettlementState.Settled)
        {
            throw new DemoFailure($"settlement read back by request_id is {found.SettlementId} in {found.State}, expected {settled.SettlementId} SETTLED");
        }

        var amounts = settled.Amounts;
        return $"pre-settled: fund {DemoBills.Yuan(preSettled.Amounts.FundPayment)} of {DemoBills.Yuan(preSettled.Amounts.Total)}; "
            + $"settled under msgid {requestId}: fund {DemoBills.Yuan(amounts.FundPayment)}, account {DemoBills.Yuan(amounts.AccountPayment)}, "
            + $"cash {DemoBills.Yuan(amounts.CashPayment)}; read back by msgid: "
            + ProtoNames.Of(found.State);
    }
}
