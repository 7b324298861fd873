using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Pki.Tests;

public sealed class CertificateTrustTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly TemporaryDirectory _otherDirectory = new();

    public void Dispose()
    {
        _directory.Dispose();
        _otherDirectory.Dispose();
    }

    [Fact]
    public void IsIssuedBy_CertificateOfAnotherCa_FailsNamingTheCause()
    {
        using var ours = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);
        using var theirs = DevelopmentPki.LoadOrCreate(_otherDirectory.Path, Plans.Sandbox);

        var accepted = CertificateTrust.IsIssuedBy(
            theirs.ParticipantCertificate("county-hospital"), ours.CaCertificate, CertificateUsage.ClientAuthentication, out var error);

        Assert.False(accepted);
        Assert.Contains("not issued by the trusted CA", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsIssuedBy_ExpiredCertificate_Fails()
    {
        var threeYearsAgo = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(-3));
        using var old = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox, threeYearsAgo);
        var certificate = old.ParticipantCertificate("county-hospital");

        Assert.True(CertificateTrust.IsIssuedBy(certificate, old.CaCertificate, CertificateUsage.ClientAuthentication, threeYearsAgo.GetUtcNow(), out _));
        var accepted = CertificateTrust.IsIssuedBy(certificate, old.CaCertificate, CertificateUsage.ClientAuthentication, out var error);

        Assert.False(accepted);
        Assert.Contains("expired or not yet valid", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsIssuedBy_NotYetValid_Fails()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        var accepted = CertificateTrust.IsIssuedBy(
            pki.ParticipantCertificate("auditor"), pki.CaCertificate, CertificateUsage.ClientAuthentication, DateTimeOffset.UtcNow.AddDays(-2), out var error);

        Assert.False(accepted);
        Assert.Contains("expired or not yet valid", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsIssuedBy_ServerCertificatePresentedAsClient_Fails()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        var accepted = CertificateTrust.IsIssuedBy(pki.RegionServerCertificate("310000"), pki.CaCertificate, CertificateUsage.ClientAuthentication, out var error);

        Assert.False(accepted);
        Assert.Contains("not issued for client authentication", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsIssuedBy_ClientCertificatePresentedAsServer_Fails()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        Assert.False(CertificateTrust.IsIssuedBy(pki.ParticipantCertificate("auditor"), pki.CaCertificate, CertificateUsage.ServerAuthentication, out var error));
        Assert.Contains("not issued for server authentication", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsIssuedBy_TheCaItself_IsNotAnEndEntity()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        Assert.False(CertificateTrust.IsIssuedBy(pki.CaCertificate, pki.CaCertificate, CertificateUsage.ClientAuthentication, out var error));
        Assert.Contains("is a CA certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IsIssuedBy_SelfSignedCertificateWithSameName_Fails()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=county-hospital", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(CertificateTrust.ClientAuthenticationOid) }, false));
        using var forged = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.False(CertificateTrust.IsIssuedBy(forged, pki.CaCertificate, CertificateUsage.ClientAuthentication, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void IsIssuedBy_LeavesTheCertificatesItWasGivenUsable()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);
        var certificate = pki.ParticipantCertificate("auditor");

        Assert.True(CertificateTrust.IsIssuedBy(certificate, pki.CaCertificate, CertificateUsage.ClientAuthentication, out _));
        Assert.True(CertificateTrust.IsIssuedBy(certificate, pki.CaCertificate, CertificateUsage.ClientAuthentication, out _));

        using var key = certificate.GetECDsaPrivateKey();
        Assert.NotNull(key);
        Assert.False(string.IsNullOrEmpty(pki.CaCertificate.Thumbprint));
        Assert.NotEmpty(pki.CaCertificate.RawData);
    }

    [Fact]
    public void ParticipantIdOf_ReturnsTheCommonName()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        Assert.Equal("hangzhou-museum", CertificateTrust.ParticipantIdOf(pki.ParticipantCertificate("hangzhou-museum")));
    }

    [Fact]
    public void ParticipantIdOf_CertificateWithoutCommonName_IsNull()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=county-hospital, OU=Exchange", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.Null(CertificateTrust.ParticipantIdOf(certificate));
    }
}
