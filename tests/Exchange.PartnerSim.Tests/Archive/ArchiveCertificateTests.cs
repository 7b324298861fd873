using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Exchange.Contracts.Archive.V1;
using Exchange.PartnerSim.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Exchange.PartnerSim.Tests.Archive;

/// <summary>GetArchiveCertificate and what a certificate holds, checked offline as any holder could.</summary>
public sealed partial class ArchiveCertificateTests
{
    [Fact]
    public async Task GetCertificate_AfterTheSearch_ReturnsTheSignedDocument()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var person = archive.WithHoldings;
        var holding = archive.Holding(person, ArchiveCategory.School);
        var lookup = await archive.SubmitAsync(archive.Request(person));
        archive.Advance(2);

        var certificate = await archive.GetCertificateAsync(lookup.LookupId);

        var issued = ArchiveRegion.Start + (2 * ArchiveRegion.Step);
        Assert.Equal("330000-CERT-00000001", certificate.CertificateId);
        Assert.Equal(lookup.LookupId, certificate.LookupId);
        Assert.Equal("330000", certificate.IssuerRegion);
        Assert.Equal("application/json", certificate.DocumentMediaType);
        Assert.Equal(Timestamp.FromDateTimeOffset(issued), certificate.IssueTime);
        using var json = JsonDocument.Parse(certificate.Document.Memory);
        var document = json.RootElement;
        Assert.Equal("330000-CERT-00000001", document.GetProperty("certificate_id").GetString());
        Assert.Equal(lookup.LookupId, document.GetProperty("lookup_id").GetString());
        Assert.Equal("330000", document.GetProperty("issuer_region").GetString());
        Assert.Equal("浙江省档案馆", document.GetProperty("archive").GetString());
        Assert.Equal("ARCHIVE_CATEGORY_SCHOOL", document.GetProperty("category").GetString());
        Assert.Equal(person.Name, document.GetProperty("subject_name").GetString());
        Assert.Equal(person.CitizenId, document.GetProperty("subject_citizen_id").GetString());
        Assert.Equal(holding.Year, document.GetProperty("record_year").GetInt32());
        Assert.Equal(holding.Summary, document.GetProperty("record_summary").GetString());
        Assert.Equal(issued, DateTimeOffset.Parse(document.GetProperty("issue_time").GetString()!, CultureInfo.InvariantCulture));
        // Readable as written: the Chinese text is not escaped.
        Assert.Contains(holding.Summary, Encoding.UTF8.GetString(certificate.Document.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCertificate_SignatureVerifiesOfflineWithThePublishedKey()
    {
        await using var archive = await ArchiveRegion.StartAsync();

        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);

        Assert.Equal(archive.SigningKey.ExportSubjectPublicKeyInfo(), certificate.SigningPublicKey.ToByteArray());
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(certificate.SigningPublicKey.Span, out var read);
        Assert.Equal(certificate.SigningPublicKey.Length, read);
        Assert.Equal(256, key.KeySize);
        Assert.True(key.VerifyData(certificate.Document.Span, certificate.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Equal(0x30, certificate.Signature[0]); // a DER SEQUENCE of r and s
    }

    [Fact]
    public async Task GetCertificate_VerificationCodeIsBase32OfTheDocumentHash()
    {
        await using var archive = await ArchiveRegion.StartAsync();

        var certificate = await archive.IssueCertificateAsync(archive.WithHoldings);

        Assert.Matches(CodePattern(), certificate.VerificationCode);
        Assert.Equal(Base32(SHA256.HashData(certificate.Document.Span)[..10]), certificate.VerificationCode);
    }

    [Fact]
    public async Task GetCertificate_TwoLookups_GetDistinctIdsAndCodes()
    {
        await using var archive = await ArchiveRegion.StartAsync();

        var first = await archive.IssueCertificateAsync(archive.Resident(0));
        var second = await archive.IssueCertificateAsync(archive.Resident(2));

        Assert.Equal("330000-CERT-00000002", second.CertificateId);
        Assert.NotEqual(first.VerificationCode, second.VerificationCode);
    }

    [Fact]
    public async Task GetCertificate_BeforeIssue_FailsFailedPreconditionNamingTheState()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithHoldings));

        var submitted = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => archive.GetCertificateAsync(lookup.LookupId));
        archive.Advance();
        var searching = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => archive.GetCertificateAsync(lookup.LookupId));

        Assert.Contains("LOOKUP_STATE_SUBMITTED", submitted.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("LOOKUP_STATE_SEARCHING", searching.Status.Detail, StringComparison.Ordinal);
        Personal.AssertAbsent(searching.Status.Detail, archive.WithHoldings);
    }

    [Fact]
    public async Task GetCertificate_LookupEndedNotFound_FailsFailedPrecondition()
    {
        await using var archive = await ArchiveRegion.StartAsync();
        var lookup = await archive.SubmitAsync(archive.Request(archive.WithoutHoldings));
        archive.Advance(2);

        var error = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => archive.GetCertificateAsync(lookup.LookupId));

        Assert.Contains("LOOKUP_STATE_NOT_FOUND", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCertificate_UnknownLookup_FailsNotFound()
    {
        await using var archive = await ArchiveRegion.StartAsync();

        await RpcAssert.FailsWith(StatusCode.NotFound, () => archive.GetCertificateAsync("330000L00000077"));
    }

    /// <summary>RFC 4648 base32 written independently of the simulator's: via a string of bits.</summary>
    private static string Base32(byte[] bytes)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(bytes.Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        return string.Concat(Enumerable.Range(0, bits.Length / 5).Select(i => alphabet[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));
    }

    [GeneratedRegex("^[A-Z2-7]{16}$")]
    private static partial Regex CodePattern();
}
