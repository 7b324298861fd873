using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace Exchange.Pki.Tests;

public sealed class DevelopmentPkiTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void LoadOrCreate_EmptyDirectory_WritesTheDocumentedLayout()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        var files = FileSnapshot.Of(_directory.Path).Keys.Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "ca.crt", "ca.key", "gateway-client.crt", "gateway-client.key", "gateway.crt", "gateway.key",
                "participants/auditor.crt", "participants/auditor.key",
                "participants/county-hospital.crt", "participants/county-hospital.key",
                "participants/hangzhou-museum.crt", "participants/hangzhou-museum.key",
                "regions/310000.crt", "regions/310000.key", "regions/330000.crt", "regions/330000.key",
                "regions/341021.crt", "regions/341021.key",
            ],
            files);
        Assert.All(pki.Entries, e => Assert.Equal(PkiEntryStatus.Created, e.Status));
        Assert.Equal(_directory.Path, pki.Directory);
    }

    [Fact]
    public void LoadOrCreate_Files_ArePemWithPkcs8Keys()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(Path.Combine(_directory.Path, "gateway.crt")), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(_directory.Path, "gateway.key")), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(pki.ParticipantKeyPath("auditor")), StringComparison.Ordinal);
    }

    [Fact]
    public void CaCertificate_IsSelfSignedP256CaForTenYears_WithoutPrivateKey()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);
        var ca = pki.CaCertificate;

        Assert.Equal("CN=Exchange Development CA", ca.Subject);
        Assert.Equal(ca.Subject, ca.Issuer);
        Assert.False(ca.HasPrivateKey);
        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        var usage = ca.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.InRange((ca.NotAfter - ca.NotBefore).TotalDays, 3650, 3654);
        Assert.Equal("1.2.840.10045.2.1", ca.PublicKey.Oid.Value); // id-ecPublicKey
        using var key = ca.GetECDsaPublicKey()!;
        Assert.Equal(256, key.KeySize);
        Assert.Equal("1.2.840.10045.4.3.2", ca.SignatureAlgorithm.Value); // ecdsa-with-SHA256
    }

    [Fact]
    public void EveryCertificate_ChainsToTheCa_ForItsRole()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        AssertIssued(pki.GatewayServerCertificate, pki.CaCertificate, CertificateUsage.ServerAuthentication);
        AssertIssued(pki.GatewayClientCertificate, pki.CaCertificate, CertificateUsage.ClientAuthentication);
        foreach (var region in Plans.Sandbox.RegionCodes)
        {
            AssertIssued(pki.RegionServerCertificate(region), pki.CaCertificate, CertificateUsage.ServerAuthentication);
        }

        foreach (var participant in Plans.Sandbox.ParticipantIds)
        {
            AssertIssued(pki.ParticipantCertificate(participant), pki.CaCertificate, CertificateUsage.ClientAuthentication);
        }
    }

    [Fact]
    public void GatewayServerCertificate_NamesLoopback_ForServerAuthOnly()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);
        var certificate = pki.GatewayServerCertificate;

        Assert.Equal("CN=exchange-gateway", certificate.Subject);
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], EkusOf(certificate));
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
        Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalDays, 729, 731);
        Assert.False(CertificateTrust.IsIssuedBy(certificate, pki.CaCertificate, CertificateUsage.ClientAuthentication, out _));
    }

    [Fact]
    public void GatewayClientCertificate_NamesTheCounty_ForClientAuth()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        Assert.Equal("exchange-gateway-341021", CertificateTrust.ParticipantIdOf(pki.GatewayClientCertificate));
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], EkusOf(pki.GatewayClientCertificate));
        Assert.True(pki.GatewayClientCertificate.HasPrivateKey);
    }

    [Fact]
    public void RegionServerCertificate_NamesRegionAndLoopback()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);
        var certificate = pki.RegionServerCertificate("310000");

        Assert.Equal("CN=region-310000", certificate.Subject);
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], EkusOf(certificate));
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("::1"));
        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public void ParticipantCertificate_CarriesIdAsCn_ClientAuthAndItsKey()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);
        var certificate = pki.ParticipantCertificate("county-hospital");

        Assert.Equal("county-hospital", CertificateTrust.ParticipantIdOf(certificate));
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], EkusOf(certificate));
        Assert.Empty(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(Path.Combine(_directory.Path, "participants", "county-hospital.crt"), pki.ParticipantCertificatePath("county-hospital"));
        Assert.Equal(Path.Combine(_directory.Path, "participants", "county-hospital.key"), pki.ParticipantKeyPath("county-hospital"));
        using var onDisk = X509Certificate2.CreateFromPemFile(pki.ParticipantCertificatePath("county-hospital"), pki.ParticipantKeyPath("county-hospital"));
        Assert.Equal(certificate.Thumbprint, onDisk.Thumbprint);
    }

    [Fact]
    public void ParticipantCertificate_NotInPlan_SaysHowToAddIt()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        var error = Assert.Throws<ArgumentException>(() => pki.ParticipantCertificate("stranger"));
        Assert.Contains("exchange pki init --participant stranger", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => pki.ParticipantKeyPath("stranger"));
        Assert.Throws<ArgumentException>(() => pki.RegionServerCertificate("320000"));
    }

    [Fact]
    public void LoadOrCreate_SecondCallWithSamePlan_ChangesNoFile()
    {
        using (DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox))
        {
        }

        var before = FileSnapshot.Of(_directory.Path);
        using var again = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        Assert.Equal(before, FileSnapshot.Of(_directory.Path));
        Assert.All(again.Entries, e => Assert.Equal(PkiEntryStatus.Loaded, e.Status));
    }

    [Fact]
    public void LoadOrCreate_SecondCall_ReturnsTheSameCertificates()
    {
        string[] first;
        using (var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox))
        {
            first = [pki.CaCertificate.Thumbprint, pki.GatewayServerCertificate.Thumbprint, pki.ParticipantCertificate("auditor").Thumbprint];
        }

        using var again = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        Assert.Equal(first, new[] { again.CaCertificate.Thumbprint, again.GatewayServerCertificate.Thumbprint, again.ParticipantCertificate("auditor").Thumbprint });
    }

    [Fact]
    public void LoadOrCreate_PlanWithNewParticipant_AddsOnlyItsFiles()
    {
        using (DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox))
        {
        }

        var before = FileSnapshot.Of(_directory.Path);
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox.With("credit-office"));
        var after = FileSnapshot.Of(_directory.Path);

        Assert.Equal(["participants/credit-office.crt", "participants/credit-office.key"], after.Keys.Except(before.Keys).Order(StringComparer.Ordinal));
        Assert.All(before, b => Assert.Equal(b.Value, after[b.Key]));
        var created = Assert.Single(pki.Entries, e => e.Status != PkiEntryStatus.Loaded);
        Assert.Equal(("participants/credit-office", PkiEntryStatus.Created), (created.Name, created.Status));
        AssertIssued(pki.ParticipantCertificate("credit-office"), pki.CaCertificate, CertificateUsage.ClientAuthentication);
    }

    [Fact]
    public void LoadOrCreate_PrivateKeys_AreReadableByOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix permissions to check
        }

        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        var keys = Directory.EnumerateFiles(_directory.Path, "*.key", SearchOption.AllDirectories).ToArray();
        Assert.Equal(9, keys.Length);
        foreach (var file in Directory.EnumerateFiles(_directory.Path, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory.Path + "/participants"));
    }

    [Fact]
    public void LoadOrCreate_KeyMadeWorldReadable_IsPutBackToOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix permissions to check
        }

        using (DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox))
        {
        }

        var key = Path.Combine(_directory.Path, "gateway.key");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.All(pki.Entries, e => Assert.Equal(PkiEntryStatus.Loaded, e.Status));
    }

    [Fact]
    public void LoadOrCreate_ExpiredCertificates_AreReplacedAndChainAgain()
    {
        var threeYearsAgo = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(-3));
        using (DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox, threeYearsAgo))
        {
        }

        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        var ca = Assert.Single(pki.Entries, e => e.Name == "ca");
        Assert.Equal(PkiEntryStatus.Loaded, ca.Status); // ten years: still good
        var auditor = Assert.Single(pki.Entries, e => e.Name == "participants/auditor");
        Assert.Equal(PkiEntryStatus.Replaced, auditor.Status);
        Assert.StartsWith("expired on ", auditor.Reason, StringComparison.Ordinal);
        AssertIssued(pki.ParticipantCertificate("auditor"), pki.CaCertificate, CertificateUsage.ClientAuthentication);
    }

    [Fact]
    public void LoadOrCreate_CertificateAboutToExpire_IsRenewed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using (DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox, clock))
        {
        }

        clock.Advance(DevelopmentPki.CertificateLifetime - TimeSpan.FromDays(10));
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox, clock);

        var gateway = Assert.Single(pki.Entries, e => e.Name == "gateway");
        Assert.Equal(PkiEntryStatus.Replaced, gateway.Status);
        Assert.Contains("within 30 days", gateway.Reason, StringComparison.Ordinal);
        Assert.True(gateway.NotAfter > clock.GetUtcNow().AddDays(700));
    }

    [Fact]
    public void LoadOrCreate_CaKeyLost_ReplacesCaAndReissuesEveryCertificate()
    {
        using (DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox))
        {
        }

        File.Delete(Path.Combine(_directory.Path, "ca.key"));
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        Assert.Equal(("ca", PkiEntryStatus.Replaced, "private key missing"), (pki.Entries[0].Name, pki.Entries[0].Status, pki.Entries[0].Reason));
        Assert.All(pki.Entries.Skip(1), e =>
        {
            Assert.Equal(PkiEntryStatus.Replaced, e.Status);
            Assert.StartsWith("not issued by the CA in this directory", e.Reason, StringComparison.Ordinal);
        });
        AssertIssued(pki.GatewayServerCertificate, pki.CaCertificate, CertificateUsage.ServerAuthentication);
    }

    [Fact]
    public void LoadOrCreate_KeyOfAnotherCertificate_ReplacesThePair()
    {
        using (DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox))
        {
        }

        File.Copy(Path.Combine(_directory.Path, "gateway-client.key"), Path.Combine(_directory.Path, "gateway.key"), overwrite: true);
        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox);

        var gateway = Assert.Single(pki.Entries, e => e.Name == "gateway");
        Assert.Equal(PkiEntryStatus.Replaced, gateway.Status);
        Assert.StartsWith("unreadable", gateway.Reason, StringComparison.Ordinal);
        Assert.True(pki.GatewayServerCertificate.HasPrivateKey);
        Assert.Single(pki.Entries, e => e.Status != PkiEntryStatus.Loaded);
    }

    [Fact]
    public void LoadOrCreate_CountyChanged_ReissuesOnlyTheGatewayClientCertificate()
    {
        using (DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox))
        {
        }

        using var pki = DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox with { CountyRegion = "341022" });

        var changed = Assert.Single(pki.Entries, e => e.Status != PkiEntryStatus.Loaded);
        Assert.Equal("gateway-client", changed.Name);
        Assert.Equal("exchange-gateway-341022", CertificateTrust.ParticipantIdOf(pki.GatewayClientCertificate));
    }

    [Fact]
    public void LoadOrCreate_InvalidPlan_ListsEveryErrorAndWritesNothing()
    {
        var plan = new DevelopmentPkiPlan("34102", ["310000", "310000", "x"], ["../escape", "Upper", "ok"]);

        var error = Assert.Throws<ArgumentException>(() => DevelopmentPki.LoadOrCreate(_directory.Path, plan));

        Assert.Contains("county region '34102'", error.Message, StringComparison.Ordinal);
        Assert.Contains("region 'x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("region '310000': listed 2 times", error.Message, StringComparison.Ordinal);
        Assert.Contains("participant '../escape'", error.Message, StringComparison.Ordinal);
        Assert.Contains("participant 'Upper'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'ok'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void LoadOrCreate_MissingDirectory_IsCreated()
    {
        var nested = Path.Combine(_directory.Path, "a", "pki");

        using var pki = DevelopmentPki.LoadOrCreate(nested, Plans.Sandbox);

        Assert.True(File.Exists(Path.Combine(nested, "ca.crt")));
        Assert.Equal(nested, pki.Directory);
    }

    [Fact]
    public async Task LoadOrCreate_TwoConcurrentCalls_AgreeOnOneCa()
    {
        var first = Task.Run(() => DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox));
        var second = Task.Run(() => DevelopmentPki.LoadOrCreate(_directory.Path, Plans.Sandbox));
        using var a = await first;
        using var b = await second;

        Assert.Equal(a.CaCertificate.Thumbprint, b.CaCertificate.Thumbprint);
        AssertIssued(a.GatewayServerCertificate, b.CaCertificate, CertificateUsage.ServerAuthentication);
    }

    private static void AssertIssued(X509Certificate2 certificate, X509Certificate2 ca, CertificateUsage usage)
    {
        Assert.True(CertificateTrust.IsIssuedBy(certificate, ca, usage, out var error), error);
        Assert.Null(error);
    }

    private static string[] EkusOf(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value!).ToArray();
}
