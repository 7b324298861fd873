using System.Security.Cryptography;
using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Google.Protobuf;

namespace Exchange.PartnerSim.Tests.Archive;

/// <summary>
/// VerifyArchiveCertificate, by code and by full certificate, and the same tampering checked offline: a bad
/// certificate is an answer, never an error.
/// </summary>
public sealed class ArchiveVerificationTests
{
    [Fact]
    public async Task Verify_IssuedCode_IsValidAndDescribesTheCertificate()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);

        var answer = await archive.VerifyAsync(certificate.VerificationCode);

        Assert.True(answer.Valid);
        Assert.Equal(VerificationFailure.Unspecified, answer.Failure);
        Assert.Equal(certificate.CertificateId, answer.CertificateId);
        Assert.Equal(certificate.IssueTime, answer.IssueTime);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(certificate.Document.Span)), answer.DocumentSha256);
    }

    [Fact]
    public async Task Verify_CodeTypedInLowerCaseWithSpaces_IsValid()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);

        var answer = await archive.VerifyAsync($" {certificate.VerificationCode.ToLowerInvariant()} ");

        Assert.True(answer.Valid);
        Assert.Equal(certificate.CertificateId, answer.CertificateId);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAA")]
    [InlineData("not a code")]
    public async Task Verify_CodeNeverIssued_IsInvalidUnknownCertificate(string code)
    {
        await using var archive = await ArchiveRegion.StartAsync();
        await archive.IssueCertificateAsync(archive.WithHoldings);

        var answer = await archive.VerifyAsync(code);

        Assert.Equal(new VerifyArchiveCertificateResponse { Valid = false, Failure = VerificationFailure.UnknownCertificate }, answer);
    }

    [Fact]
    public async Task Verify_IssuedCertificate_IsValid()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);

        var answer = await archive.VerifyAsync(certificate);

        Assert.True(answer.Valid);
        Assert.Equal(certificate.CertificateId, answer.CertificateId);
        Assert.Equal(certificate.IssueTime, answer.IssueTime);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(certificate.Document.Span)), answer.DocumentSha256);
    }

    [Fact]
    public async Task Verify_AnyFlippedDocumentByte_FailsOfflineCheck()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);
        using var key = PublishedKey(certificate);
        Assert.True(Holds(key, certificate.Document.ToByteArray(), certificate.Signature.ToByteArray()));

        for (var i = 0; i < certificate.Document.Length; i++)
        {
            var altered = Flip(certificate.Document, i);
            Assert.False(Holds(key, altered.ToByteArray(), certificate.Signature.ToByteArray()), $"flipped byte {i} still verified");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(0.5)]
    [InlineData(-1)]
    public async Task Verify_FlippedDocumentByte_IsInvalidBadSignature(double position)
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);
        var length = certificate.Document.Length;
        var index = position switch { < 0 => length - 1, < 1 => (int)(length * position), _ => (int)position };
        var altered = certificate.Clone();
        altered.Document = Flip(certificate.Document, index);

        var answer = await archive.VerifyAsync(altered);

        Assert.False(answer.Valid);
        Assert.Equal(VerificationFailure.BadSignature, answer.Failure);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(40)]
    [InlineData(-1)]
    public async Task Verify_ChangedSignatureByte_IsInvalidBadSignatureOnlineAndOffline(int position)
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);
        var altered = certificate.Clone();
        altered.Signature = Flip(certificate.Signature, position < 0 ? certificate.Signature.Length - 1 : position);
        using var key = PublishedKey(certificate);

        var answer = await archive.VerifyAsync(altered);

        Assert.False(Holds(key, altered.Document.ToByteArray(), altered.Signature.ToByteArray()));
        Assert.False(answer.Valid);
        Assert.Equal(VerificationFailure.BadSignature, answer.Failure);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("sequence tag changed")]
    [InlineData("ieee p1363 format")]
    public async Task Verify_MalformedSignature_IsInvalidBadSignature(string malformation)
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);
        var signature = certificate.Signature.ToByteArray();
        var altered = certificate.Clone();
        altered.Signature = ByteString.CopyFrom(malformation switch
        {
            "empty" => [],
            "garbage" => [1, 2, 3, 4, 5],
            "truncated" => signature[..^3],
            "sequence tag changed" => [0x31, .. signature[1..]],
            // The right signature of the right document, but not DER: the contract says DER.
            _ => archive.SigningKey.SignData(certificate.Document.ToByteArray(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        });

        var answer = await archive.VerifyAsync(altered);

        Assert.False(answer.Valid);
        Assert.Equal(VerificationFailure.BadSignature, answer.Failure);
    }

    [Fact]
    public async Task Verify_CertificateSignedWithAnotherKey_IsInvalidUnknownKey()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = certificate.Clone();
        forged.Signature = ByteString.CopyFrom(forger.SignData(certificate.Document.ToByteArray(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        forged.SigningPublicKey = ByteString.CopyFrom(forger.ExportSubjectPublicKeyInfo());

        var answer = await archive.VerifyAsync(forged);

        Assert.True(Holds(forger, forged.Document.ToByteArray(), forged.Signature.ToByteArray())); // sound, just not ours
        Assert.Equal(new VerifyArchiveCertificateResponse { Valid = false, Failure = VerificationFailure.UnknownKey }, answer);
    }

    [Fact]
    public async Task Verify_CertificateOfAnotherRegionsArchive_IsInvalidUnknownKey()
    {
        await using var zhejiang = await ArchiveRegion.StartAsync();
        await using var jiangsu = await ArchiveRegion.StartAsync("320000");
        var certificate = await jiangsu.IssueCertificateAsync(jiangsu.WithHoldings);
        Assert.True((await jiangsu.VerifyAsync(certificate)).Valid);

        var answer = await zhejiang.VerifyAsync(certificate);

        Assert.False(answer.Valid);
        Assert.Equal(VerificationFailure.UnknownKey, answer.Failure);
    }

    [Fact]
    public async Task Verify_AlteredDocumentResignedWithAnotherKeyClaimingOurs_IsInvalidBadSignature()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = certificate.Clone();
        forged.Document = ByteString.CopyFromUtf8(certificate.Document.ToStringUtf8().Replace("ARCHIVE_CATEGORY_SCHOOL", "ARCHIVE_CATEGORY_PROPERTY", StringComparison.Ordinal));
        forged.Signature = ByteString.CopyFrom(forger.SignData(forged.Document.ToByteArray(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        using var key = PublishedKey(certificate);

        var answer = await archive.VerifyAsync(forged);

        Assert.NotEqual(certificate.Document, forged.Document);
        Assert.False(Holds(key, forged.Document.ToByteArray(), forged.Signature.ToByteArray()));
        Assert.Equal(new VerifyArchiveCertificateResponse { Valid = false, Failure = VerificationFailure.BadSignature }, answer);
    }

    [Fact]
    public async Task Verify_GenuineDocumentUnderAnotherCertificatesId_IsInvalidDocumentMismatch()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var first = await archive.IssueCertificateAsync(archive.Resident(0));
        var second = await archive.IssueCertificateAsync(archive.Resident(2));
        var swapped = first.Clone();
        swapped.CertificateId = second.CertificateId;

        var answer = await archive.VerifyAsync(swapped);

        Assert.False(answer.Valid);
        Assert.Equal(VerificationFailure.DocumentMismatch, answer.Failure);
        Assert.Equal(second.CertificateId, answer.CertificateId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(second.Document.Span)), answer.DocumentSha256);
    }

    [Fact]
    public async Task Verify_GenuineDocumentUnderAnIdNeverIssued_IsInvalidUnknownCertificate()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);
        var renamed = certificate.Clone();
        renamed.CertificateId = "330000-CERT-99999999";

        var answer = await archive.VerifyAsync(renamed);

        Assert.Equal(new VerifyArchiveCertificateResponse { Valid = false, Failure = VerificationFailure.UnknownCertificate }, answer);
    }

    [Fact]
    public async Task Verify_NoEvidence_FailsInvalidArgumentOnEvidence()
    {
        await using var archive = await ArchiveRegion.StartAsync();

        await RpcAssert.FailsWithFieldViolations(
            () => archive.Client.VerifyArchiveCertificateAsync(new VerifyArchiveCertificateRequest { ArchiveRegion = archive.Code, Purpose = PurposeOfUse.SubjectRequest }).ResponseAsync,
            "evidence");
    }

    [Fact]
    public async Task Verify_EmptyCode_FailsInvalidArgumentOnVerificationCode()
    {
        await using var archive = await ArchiveRegion.StartAsync();

        await RpcAssert.FailsWithFieldViolations(() => archive.VerifyAsync(""), "verification_code");
    }

    private static ECDsa PublishedKey(ArchiveCertificate certificate)
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(certificate.SigningPublicKey.Span, out _);
        return key;
    }

    private static bool Holds(ECDsa key, byte[] document, byte[] signature) =>
        key.VerifyData(document, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    private static ByteString Flip(ByteString bytes, int index)
    {
        var copy = bytes.ToByteArray();
        copy[index] ^= 0x01;
        return ByteString.CopyFrom(copy);
    }
}
