using System.Security.Cryptography;
using Exchange.Contracts.Archive.V1;

namespace Exchange.PartnerSim.Archive;

/// <summary>
/// Checks certificates presented to the archive. A bad certificate is an answer (valid = false and why), never an
/// error. A full certificate is checked as a third party would: the key must be this archive's published key, the
/// signature must hold over the document, and the document must be the one issued under that certificate id.
/// </summary>
internal sealed class ArchiveCertificateVerifier(ArchiveSigningKey signingKey, ArchiveLookupStore store)
{
    /// <summary>Verifies a printed verification code (case and surrounding spaces do not matter).</summary>
    public VerifyArchiveCertificateResponse VerifyCode(string verificationCode)
    {
        var issued = store.FindCertificateByCode(VerificationCode.Normalize(verificationCode));
        return issued is null ? Invalid(VerificationFailure.UnknownCertificate) : Describe(issued, valid: true);
    }

    /// <summary>Verifies a full certificate.</summary>
    public VerifyArchiveCertificateResponse VerifyCertificate(ArchiveCertificate presented)
    {
        if (!presented.SigningPublicKey.Span.SequenceEqual(signingKey.PublicKeyDer))
        {
            return Invalid(VerificationFailure.UnknownKey);
        }

        if (!SignatureHolds(presented.Document.Span, presented.Signature.Span))
        {
            return Invalid(VerificationFailure.BadSignature);
        }

        var issued = store.FindCertificateById(presented.CertificateId);
        if (issued is null)
        {
            return Invalid(VerificationFailure.UnknownCertificate);
        }

        // Signed here, but not what was issued under that id: say which certificate the id names.
        return issued.Document.Span.SequenceEqual(presented.Document.Span)
            ? Describe(issued, valid: true)
            : Describe(issued, valid: false, VerificationFailure.DocumentMismatch);
    }

    private bool SignatureHolds(ReadOnlySpan<byte> document, ReadOnlySpan<byte> signature)
    {
        // A key of our own, imported from the published form: the check uses exactly what a verifier is given.
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(signingKey.PublicKeyDer, out _);
        try
        {
            return key.VerifyData(document, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false; // a malformed signature is a bad signature, not a failure of the call
        }
    }

    private static VerifyArchiveCertificateResponse Invalid(VerificationFailure failure) => new() { Valid = false, Failure = failure };

    private static VerifyArchiveCertificateResponse Describe(ArchiveCertificate issued, bool valid, VerificationFailure failure = VerificationFailure.Unspecified) => new()
    {
        Valid = valid,
        Failure = failure,
        CertificateId = issued.CertificateId,
        IssueTime = issued.IssueTime,
        DocumentSha256 = Convert.ToHexStringLower(SHA256.HashData(issued.Document.Span)),
    };
}
