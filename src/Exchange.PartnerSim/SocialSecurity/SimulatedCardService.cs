using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Contracts.V1;
using Exchange.Contracts.Validation;
using Exchange.PartnerSim.Hosting;
using Google.Rpc;
using Grpc.Core;

namespace Exchange.PartnerSim.SocialSecurity;

/// <summary>
/// The region's social-security card service. Requests arrive already checked against the contract's annotations
/// (<c>ValidatingInterceptor</c>); this checks routing and business rules and leaves state to
/// <see cref="SocialSecurityRegistry"/>.
/// </summary>
internal sealed class SimulatedCardService(SocialSecurityRegistry registry, ServedRegion served)
    : SocialSecurityCardService.SocialSecurityCardServiceBase
{
    public override Task<VerifyCardResponse> VerifyCard(VerifyCardRequest request, ServerCallContext context)
    {
        served.EnsureServed("issuing_region", request.IssuingRegion);
        return Task.FromResult(registry.Verify(request.CitizenId, request.CardNumber, request.IssuingRegion));
    }

    public override Task<ListCardEntitlementsResponse> ListCardEntitlements(ListCardEntitlementsRequest request, ServerCallContext context)
    {
        served.EnsureServed("issuing_region", request.IssuingRegion);
        return Task.FromResult(registry.Entitlements(request.CitizenId, request.Category, request.IssuingRegion));
    }

    public override Task<ReportCardLossResponse> ReportCardLoss(ReportCardLossRequest request, ServerCallContext context)
    {
        served.EnsureServed("issuing_region", request.IssuingRegion);
        return Task.FromResult(registry.ReportLoss(request));
    }

    public override Task<LiftCardLossResponse> LiftCardLoss(LiftCardLossRequest request, ServerCallContext context)
    {
        served.EnsureServed("issuing_region", request.IssuingRegion);
        return Task.FromResult(registry.LiftLoss(request));
    }

    public override Task<SubmitEligibilityCertificationResponse> SubmitEligibilityCertification(
        SubmitEligibilityCertificationRequest request, ServerCallContext context)
    {
        served.EnsureServed("pension_region", request.PensionRegion);
        return Task.FromResult(registry.Certify(request));
    }

    public override async Task<CompareResidentsResponse> CompareResidents(
        IAsyncStreamReader<CompareResidentsRequest> requestStream, ServerCallContext context)
    {
        string? region = null;
        var total = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var distinct = new List<string>();
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var message = requestStream.Current;
            if (region is null)
            {
                CheckFirst(message);
                region = message.PensionRegion;
            }
            else if (message.PensionRegion.Length > 0 && !string.Equals(message.PensionRegion, region, StringComparison.Ordinal))
            {
                throw InvalidArgument.For("pension_region", $"must be empty or {region} (the first message's region) in later messages");
            }

            if (message.SubjectHashes.Count is 0 or > SocialSecurityRegistry.MaxHashesPerMessage)
            {
                throw InvalidArgument.For("subject_hashes", "must have 1 to 1,000 elements in every message");
            }

            total += message.SubjectHashes.Count;
            if (total > SocialSecurityRegistry.MaxHashesPerCall)
            {
                throw InvalidArgument.For("subject_hashes", "must not exceed 100,000 hashes in one call");
            }

            foreach (var hash in message.SubjectHashes)
            {
                if (seen.Add(hash))
                {
                    distinct.Add(hash);
                }
            }
        }

        if (region is null)
        {
            throw InvalidArgument.For("pension_region", "must be set in the first message; the stream had none");
        }

        return registry.Compare(distinct);
    }

    private void CheckFirst(CompareResidentsRequest first)
    {
        // The annotations cannot require the region (later messages may leave it empty), so the first message is
        // checked here; its purpose was checked by the validating interceptor.
        if (first.PensionRegion.Length == 0)
        {
            throw InvalidArgument.For("pension_region", "must be set in the first message");
        }

        served.EnsureServed("pension_region", first.PensionRegion);
    }
}
