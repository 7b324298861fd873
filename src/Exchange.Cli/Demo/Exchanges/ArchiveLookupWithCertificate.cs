using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Grpc.Core;

namespace Exchange.Cli.Demo.Exchanges;

/// <summary>
/// The She County archive forwards a resident's request for a school record held in Zhejiang: submits the look-up,
/// watches it until the certificate is issued, fetches the certificate, checks its ECDSA signature itself and has the
/// issuing archive confirm it.
/// </summary>
internal sealed class ArchiveLookupWithCertificate : IDemoExchange
{
    private const string ArchiveRegion = "330000";

    public DemoDirection Direction => DemoDirection.CountyToPartner;

    public string Caller => "county-archive";

    public string Target => ArchiveRegion;

    public string Description => "looks up a Zhejiang school record for a resident and verifies the certificate";

    public async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var (resident, holding) = SandboxPeople.ArchiveSubject(context.Population(ArchiveRegion));
        var client = new ArchiveService.ArchiveServiceClient(context.As(Caller));
        var started = Stopwatch.GetTimestamp();

        var submitted = (await client.SubmitArchiveLookupAsync(
            new SubmitArchiveLookupRequest
            {
                RequestId = $"{Caller}:{Guid.NewGuid():N}",
                ArchiveRegion = ArchiveRegion,
                Category = ArchiveCategory.School,
                Subject = new Subject { CitizenId = resident.CitizenId },
                SubjectName = resident.Name,
                Description = string.Create(CultureInfo.InvariantCulture, $"enrolled {holding.Year}"),
                Purpose = PurposeOfUse.SubjectRequest,
            },
            context.Call(cancellationToken))).Lookup;

        var states = new List<LookupState> { submitted.State };
        var last = submitted;
        using (var watch = client.WatchArchiveLookup(
            new WatchArchiveLookupRequest { ArchiveRegion = ArchiveRegion, LookupId = submitted.LookupId },
            context.Call(cancellationToken, context.Options.ArchiveTimeout)))
        {
            await foreach (var update in watch.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                last = update.Lookup;
                if (states[^1] != last.State)
                {
                    states.Add(last.State);
                }

                if (last.State is LookupState.CertificateIssued or LookupState.NotFound or LookupState.Rejected)
                {
                    break;
                }
            }
        }

        var path = string.Join(" → ", states.Select(s => ProtoNames.Of(s)));
        if (last.State != LookupState.CertificateIssued)
        {
            throw new DemoFailure($"look-up went {path} without a certificate: {last.StateReason}");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var certificate = (await client.GetArchiveCertificateAsync(
            new GetArchiveCertificateRequest { ArchiveRegion = ArchiveRegion, LookupId = submitted.LookupId, Purpose = PurposeOfUse.SubjectRequest },
            context.Call(cancellationToken))).Certificate;
        if (!SignatureHolds(certificate))
        {
            throw new DemoFailure($"certificate {certificate.CertificateId}: the ECDSA signature does not verify over the document");
        }

        var confirmed = await client.VerifyArchiveCertificateAsync(
            new VerifyArchiveCertificateRequest { ArchiveRegion = ArchiveRegion, Certificate = certificate, Purpose = PurposeOfUse.SubjectRequest },
            context.Call(cancellationToken));
        if (!confirmed.Valid)
        {
            throw new DemoFailure($"the issuing archive does not confirm certificate {certificate.CertificateId}: {ProtoNames.Of(confirmed.Failure)}");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{path} in {elapsed.TotalSeconds:0.0} s; certificate {certificate.CertificateId}: ECDSA P-256 signature verifies, the archive confirms it valid");
    }

    private static bool SignatureHolds(ArchiveCertificate certificate)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(certificate.SigningPublicKey.Span, out _);
            return key.VerifyData(certificate.Document.Span, certificate.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false; // a malformed key or signature is a signature that does not verify
        }
    }
}
