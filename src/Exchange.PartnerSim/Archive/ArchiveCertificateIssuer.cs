using System.Security.Cryptography;
using Exchange.Contracts.Archive.V1;
using Exchange.Domain.Regions;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Population;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// Issues certificates: writes the document, signs it with the archive's key (ECDSA P-256, SHA-256, DER) and
/// derives the verification code from it.
/// </summary>
internal sealed class ArchiveCertificateIssuer(PartnerRegionOptions options, ArchiveSigningKey signingKey)
{
    private readonly string _archiveName = (RegionTable.Default.TryGet(options.RegionCode, out var region) ? region.Name : options.RegionCode) + "档案馆";

    // ECDsa instances are not documented thread-safe; certificates may be issued from concurrent timer callbacks.
    private readonly Lock _signing = new();
    private long _sequence;

    /// <summary>Issues the certificate answering <paramref name="query"/> with <paramref name="holding"/>.</summary>
    public ArchiveCertificate Issue(LookupQuery query, ArchiveHolding holding, DateTimeOffset now)
    {
        var certificateId = $"{options.RegionCode}-CERT-{Interlocked.Increment(ref _sequence):D8}";
        var document = CertificateDocument.Write(certificateId, options.RegionCode, _archiveName, query, holding, now);
        byte[] signature;
        lock (_signing)
        {
            signature = signingKey.Key.SignData(document, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        return new ArchiveCertificate
        {
            CertificateId = certificateId,
            LookupId = query.LookupId,
            IssuerRegion = options.RegionCode,
            Document = ByteString.CopyFrom(document),
            DocumentMediaType = CertificateDocument.MediaType,
            Signature = ByteString.CopyFrom(signature),
            SigningPublicKey = ByteString.CopyFrom(signingKey.PublicKeyDer),
            VerificationCode = VerificationCode.Of(document),
            IssueTime = Timestamp.FromDateTimeOffset(now),
        };
    }
}
