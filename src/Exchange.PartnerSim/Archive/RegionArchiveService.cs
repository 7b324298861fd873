using System.Globalization;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Validation;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Idempotency;
using Google.Rpc;
using Grpc.Core;
using Status = Grpc.Core.Status;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// The region archive's side of exchange.archive.v1.ArchiveService. The validating interceptor has already checked
/// the contract's annotations; this checks the business rules (region served, a person as subject, description
/// length) and never puts a citizen ID or a name in an error.
/// </summary>
internal sealed class RegionArchiveService(
    ServedRegion served,
    RegionClock clock,
    ArchiveLookupStore store,
    ArchiveLookupProgress progress,
    ArchiveCertificateVerifier verifier,
    RequestIdLedger<SubmitArchiveLookupRequest, SubmitArchiveLookupResponse> ledger) : ArchiveService.ArchiveServiceBase
{
    /// <summary>Longest description accepted, in Unicode characters.</summary>
    public const int MaxDescriptionLength = 500;

    /// <summary>
    /// Submits a look-up once per request_id. A repeat of the same request answers with the same look-up in its
    /// current state (not as it was first answered), so a client that lost the first answer learns where it stands.
    /// </summary>
    public override Task<SubmitArchiveLookupResponse> SubmitArchiveLookup(SubmitArchiveLookupRequest request, ServerCallContext context)
    {
        served.EnsureServed("archive_region", request.ArchiveRegion);
        CheckSubmission(request);
        var first = ledger.ExecuteOnce(store.Gate, request.RequestId, request, () =>
        {
            var lookup = store.Add(request, clock.UtcNow);
            progress.Start(lookup.LookupId);
            return new SubmitArchiveLookupResponse { Lookup = lookup };
        });
        var current = store.Find(first.Lookup.LookupId) ?? first.Lookup;
        return Task.FromResult(new SubmitArchiveLookupResponse { Lookup = current });
    }

    /// <inheritdoc />
    public override Task<GetArchiveLookupResponse> GetArchiveLookup(GetArchiveLookupRequest request, ServerCallContext context)
    {
        served.EnsureServed("archive_region", request.ArchiveRegion);
        var lookup = store.Find(request.LookupId) ?? throw UnknownLookup(request.LookupId);
        return Task.FromResult(new GetArchiveLookupResponse { Lookup = lookup });
    }

    /// <summary>
    /// Streams the current state, then every change, and ends after a final state. A found record shows as FOUND
    /// followed by CERTIFICATE_ISSUED (the certificate is issued at once, so GetArchiveLookup goes straight to
    /// CERTIFICATE_ISSUED). Ends quietly when the caller cancels or its deadline passes.
    /// </summary>
    public override async Task WatchArchiveLookup(
        WatchArchiveLookupRequest request, IServerStreamWriter<WatchArchiveLookupResponse> responseStream, ServerCallContext context)
    {
        served.EnsureServed("archive_region", request.ArchiveRegion);
        using var watch = store.Watch(request.LookupId) ?? throw UnknownLookup(request.LookupId);
        var cancellation = context.CancellationToken;
        try
        {
            await responseStream.WriteAsync(new WatchArchiveLookupResponse { Lookup = watch.Current }, cancellation).ConfigureAwait(false);
            await foreach (var lookup in watch.Changes.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(new WatchArchiveLookupResponse { Lookup = lookup }, cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The caller went away or its deadline passed: nobody is left to tell.
        }
    }

    /// <inheritdoc />
    public override Task<GetArchiveCertificateResponse> GetArchiveCertificate(GetArchiveCertificateRequest request, ServerCallContext context)
    {
        served.EnsureServed("archive_region", request.ArchiveRegion);
        if (!store.TryGetWithCertificate(request.LookupId, out var lookup, out var certificate))
        {
            throw UnknownLookup(request.LookupId);
        }

        if (certificate is null)
        {
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                $"look-up {lookup.LookupId} is in state {ContractNames.Of(lookup.State)}; a certificate exists only in " +
                $"{ContractNames.Of(LookupState.CertificateIssued)}"));
        }

        return Task.FromResult(new GetArchiveCertificateResponse { Certificate = certificate });
    }

    /// <inheritdoc />
    public override Task<VerifyArchiveCertificateResponse> VerifyArchiveCertificate(VerifyArchiveCertificateRequest request, ServerCallContext context)
    {
        served.EnsureServed("archive_region", request.ArchiveRegion);
        var response = request.EvidenceCase switch
        {
            VerifyArchiveCertificateRequest.EvidenceOneofCase.VerificationCode when request.VerificationCode.Length == 0 =>
                throw InvalidArgument.For("verification_code", "must not be empty"),
            VerifyArchiveCertificateRequest.EvidenceOneofCase.VerificationCode => verifier.VerifyCode(request.VerificationCode),
            VerifyArchiveCertificateRequest.EvidenceOneofCase.Certificate => verifier.VerifyCertificate(request.Certificate),
            _ => throw InvalidArgument.For("evidence", "must be set: a verification_code or a certificate"),
        };
        return Task.FromResult(response);
    }

    private static void CheckSubmission(SubmitArchiveLookupRequest request)
    {
        // Collect every business violation before failing, as the interceptor does for the annotations.
        var violations = new List<BadRequest.Types.FieldViolation>();
        switch (request.Subject.IdentifierCase)
        {
            case Contracts.V1.Subject.IdentifierOneofCase.CitizenId:
                break;
            case Contracts.V1.Subject.IdentifierOneofCase.CreditCode:
                violations.Add(Violation("subject.credit_code", "is not accepted: archives hold records about persons; give subject.citizen_id"));
                break;
            default:
                violations.Add(Violation("subject.citizen_id", "must be set"));
                break;
        }

        var descriptionLength = request.Description.EnumerateRunes().Count();
        if (descriptionLength > MaxDescriptionLength)
        {
            violations.Add(Violation("description", string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxDescriptionLength} characters")));
        }

        if (violations.Count > 0)
        {
            throw InvalidArgument.For(violations);
        }
    }

    private static BadRequest.Types.FieldViolation Violation(string field, string description) => new() { Field = field, Description = description };

    private static RpcException UnknownLookup(string lookupId) =>
        new(new Status(StatusCode.NotFound, $"no archive look-up {lookupId} here"));
}
