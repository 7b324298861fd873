using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.Validation;
using Exchange.PartnerSim.Hosting;
using Grpc.Core;

namespace Exchange.PartnerSim.Medical;

/// <summary>
/// The insured region's side of cross-region outpatient settlement. The validating interceptor has already enforced
/// the contract's annotations; this checks routing and business rules and leaves the books to the ledger.
/// </summary>
internal sealed class CrossRegionSettlementSimulator(ServedRegion served, SettlementLedger ledger)
    : CrossRegionSettlementService.CrossRegionSettlementServiceBase
{
    private const string InsuredRegionField = "insured_region";

    public override Task<GetInsuredPersonResponse> GetInsuredPerson(GetInsuredPersonRequest request, ServerCallContext context)
    {
        served.EnsureServed(InsuredRegionField, request.InsuredRegion);
        return Task.FromResult(new GetInsuredPersonResponse { Person = ledger.GetPerson(request.CitizenId) });
    }

    public override Task<PreSettleResponse> PreSettle(PreSettleRequest request, ServerCallContext context)
    {
        served.EnsureServed(InsuredRegionField, request.InsuredRegion);
        VisitRules.Enforce(request.Visit, served.Code);
        return Task.FromResult(new PreSettleResponse { Amounts = ledger.PreSettle(request.Visit) });
    }

    public override Task<SettleResponse> Settle(SettleRequest request, ServerCallContext context)
    {
        served.EnsureServed(InsuredRegionField, request.InsuredRegion);
        VisitRules.Enforce(request.Visit, served.Code);
        return Task.FromResult(ledger.Settle(request));
    }

    public override Task<CancelSettlementResponse> CancelSettlement(CancelSettlementRequest request, ServerCallContext context)
    {
        served.EnsureServed(InsuredRegionField, request.InsuredRegion);
        return Task.FromResult(ledger.Cancel(request));
    }

    public override Task<ReverseSettlementResponse> ReverseSettlement(ReverseSettlementRequest request, ServerCallContext context)
    {
        served.EnsureServed(InsuredRegionField, request.InsuredRegion);
        return Task.FromResult(ledger.Reverse(request));
    }

    public override Task<GetSettlementResponse> GetSettlement(GetSettlementRequest request, ServerCallContext context)
    {
        served.EnsureServed(InsuredRegionField, request.InsuredRegion);
        var settlement = request.KeyCase switch
        {
            GetSettlementRequest.KeyOneofCase.SettlementId =>
                ledger.FindBySettlementId(request.SettlementId) ?? throw SettlementErrors.NoSuchSettlement(served.Code),
            GetSettlementRequest.KeyOneofCase.RequestId =>
                ledger.FindByRequestId(request.RequestId) ?? throw SettlementErrors.NoSettlementForRequestId(served.Code),
            _ => throw InvalidArgument.For("key", "one of settlement_id or request_id must be set"),
        };
        return Task.FromResult(new GetSettlementResponse { Settlement = settlement });
    }

    public override Task<GetReconciliationSummaryResponse> GetReconciliationSummary(
        GetReconciliationSummaryRequest request, ServerCallContext context)
    {
        served.EnsureServed(InsuredRegionField, request.InsuredRegion);
        var settlements = ledger.SettlementsOn(request.SettlementDate, request.TreatmentRegion);
        return Task.FromResult(ReconciliationSummary.Of(settlements));
    }

    public override async Task StreamReconciliationDetails(
        StreamReconciliationDetailsRequest request,
        IServerStreamWriter<StreamReconciliationDetailsResponse> responseStream,
        ServerCallContext context)
    {
        served.EnsureServed(InsuredRegionField, request.InsuredRegion);
        var cancellation = context.CancellationToken;
        foreach (var settlement in ledger.SettlementsOn(request.SettlementDate, request.TreatmentRegion))
        {
            if (cancellation.IsCancellationRequested)
            {
                return; // the caller is gone; nobody reads the rest.
            }

            await responseStream.WriteAsync(new StreamReconciliationDetailsResponse { Settlement = settlement }, cancellation)
                .ConfigureAwait(false);
        }
    }
}
