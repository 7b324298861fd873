using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.V1;
using Exchange.Contracts.Validation;
using Exchange.PartnerSim.Hosting;
using Grpc.Core;

namespace Exchange.PartnerSim.Credit;

/// <summary>
/// The region's credit service. Requests arrive already checked against the contract's annotations
/// (<c>ValidatingInterceptor</c>); this checks routing and business rules and leaves state to
/// <see cref="CreditRegistry"/>. ListCreditRecords is a fan-out method: a region asked directly answers for itself.
/// </summary>
internal sealed class SimulatedCreditService(CreditRegistry registry, ServedRegion served) : CreditService.CreditServiceBase
{
    public override Task<ListCreditRecordsResponse> ListCreditRecords(ListCreditRecordsRequest request, ServerCallContext context)
    {
        // The annotation requires the subject message; which identifier it holds is the method's concern.
        if (request.Subject is null || request.Subject.IdentifierCase == Subject.IdentifierOneofCase.None)
        {
            throw InvalidArgument.For("subject", "must name a citizen_id or a credit_code");
        }

        return Task.FromResult(registry.List(request.Subject, request.IncludeUnpublished));
    }

    public override Task<GetCreditRecordResponse> GetCreditRecord(GetCreditRecordRequest request, ServerCallContext context)
    {
        served.EnsureServed("origin_region", request.OriginRegion);
        return Task.FromResult(new GetCreditRecordResponse { Record = registry.Get(request.RecordId) });
    }

    public override Task<PublishCreditRecordResponse> PublishCreditRecord(PublishCreditRecordRequest request, ServerCallContext context)
    {
        served.EnsureServed("origin_region", request.OriginRegion);
        return Task.FromResult(registry.Publish(request));
    }

    public override Task<RepairCreditResponse> RepairCredit(RepairCreditRequest request, ServerCallContext context)
    {
        served.EnsureServed("origin_region", request.OriginRegion);
        return Task.FromResult(registry.Repair(request));
    }
}
