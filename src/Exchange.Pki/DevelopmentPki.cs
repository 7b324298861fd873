using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Exchange.Pki.Internal;

namespace Exchange.Pki;

/// <summary>
/// The development PKI of the sandbox: a CA and the certificates it issues to the gateway, the simulated regions and
/// the participants, kept as PEM files in one directory. Never for production: the CA key sits beside the
/// certificates it signs.
/// </summary>
/// <remarks>
/// Layout of <see cref="Directory"/> (keys are PKCS#8 PEM, readable by the owner only where the OS has permissions):
/// <list type="bullet">
/// <item><c>ca.crt</c>, <c>ca.key</c>: "Exchange Development CA", 10 years.</item>
/// <item><c>gateway.crt</c>, <c>gateway.key</c>: server certificate CN=exchange-gateway for localhost, 127.0.0.1 and ::1.</item>
/// <item><c>gateway-client.crt</c>, <c>gateway-client.key</c>: client certificate CN=exchange-gateway-&lt;county&gt;, presented to partner regions.</item>
/// <item><c>regions/&lt;code&gt;.crt</c>, <c>.key</c>: server certificate CN=region-&lt;code&gt; per simulated region.</item>
/// <item><c>participants/&lt;id&gt;.crt</c>, <c>.key</c>: client certificate CN=&lt;id&gt; per participant.</item>
/// </list>
/// End-entity certificates are valid for 2 years (never beyond the CA). The certificates returned carry their
/// private key in a form TLS can use (Kestrel, <see cref="System.Net.Security.SslStream"/>), except
/// <see cref="CaCertificate"/>, which is only a trust anchor. They belong to this instance and are disposed with it.
/// </remarks>
public sealed class DevelopmentPki : IDisposable
{
    /// <summary>Subject CN of the development CA.</summary>
    public const string CaCommonName = "Exchange Development CA";

    /// <summary>Subject CN of the gateway's server certificate.</summary>
    public const string GatewayCommonName = "exchange-gateway";

    /// <summary>How long a new CA certificate is valid: 10 years.</summary>
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3653);

    /// <summary>How long a new end-entity certificate is valid: 2 years.</summary>
    public static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(730);

    /// <summary>A certificate that expires within this time is replaced on load, so none expires in the middle of a session.</summary>
    public static readonly TimeSpan RenewalWindow = TimeSpan.FromDays(30);

    private const string RegionsFolder = "regions";
    private const string ParticipantsFolder = "participants";

    private readonly Dictionary<string, X509Certificate2> _regions;
    private readonly Dictionary<string, X509Certificate2> _participants;

    private DevelopmentPki(
        string directory,
        DevelopmentPkiPlan plan,
        IReadOnlyList<PkiEntry> entries,
        X509Certificate2 ca,
        X509Certificate2 gatewayServer,
        X509Certificate2 gatewayClient,
        Dictionary<string, X509Certificate2> regions,
        Dictionary<string, X509Certificate2> participants)
    {
        Directory = directory;
        Plan = plan;
        Entries = entries;
        CaCertificate = ca;
        GatewayServerCertificate = gatewayServer;
        GatewayClientCertificate = gatewayClient;
        _regions = regions;
        _participants = participants;
    }

    /// <summary>Full path of the directory the PKI lives in.</summary>
    public string Directory { get; }

    /// <summary>The plan it was loaded or created for.</summary>
    public DevelopmentPkiPlan Plan { get; }

    /// <summary>Every certificate (CA first) and whether it was loaded, created or replaced.</summary>
    public IReadOnlyList<PkiEntry> Entries { get; }

    /// <summary>The CA certificate, without its private key: the trust anchor for every peer of the sandbox.</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary>Full path of <c>ca.crt</c>, for tools that take a CA file (curl, grpcurl, Python's grpc).</summary>
    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    /// <summary>The gateway's server certificate (CN=exchange-gateway, localhost/127.0.0.1/::1), with its key.</summary>
    public X509Certificate2 GatewayServerCertificate { get; }

    /// <summary>The client certificate the gateway presents to partner regions (CN=exchange-gateway-&lt;county&gt;), with its key.</summary>
    public X509Certificate2 GatewayClientCertificate { get; }

    /// <summary>The subject CN of <see cref="GatewayClientCertificate"/> for a county.</summary>
    public static string GatewayClientCommonName(string countyRegion) => $"exchange-gateway-{countyRegion}";

    /// <summary>The subject CN of a simulated region's server certificate.</summary>
    public static string RegionCommonName(string regionCode) => $"region-{regionCode}";

    /// <summary>
    /// Loads the PKI in <paramref name="directory"/> and creates whatever <paramref name="plan"/> needs that is
    /// missing. Idempotent: with the same plan a second call reads and writes nothing new; a plan with one more
    /// participant adds only that participant's files. Files that are unusable (unreadable, key not matching,
    /// another subject, not issued by the CA on disk, expired or expiring within <see cref="RenewalWindow"/>) are
    /// replaced, and a replaced CA replaces every certificate. Safe to call from two processes at once.
    /// </summary>
    /// <param name="directory">Where the PEM files live; created if missing.</param>
    /// <param name="plan">The regions and participants to hold certificates for.</param>
    /// <param name="time">The clock that dates new certificates and judges expiry. Default the system clock.</param>
    /// <returns>The loaded PKI; dispose it when its certificates are no longer used.</returns>
    /// <exception cref="ArgumentException">The plan is invalid; the message lists every error.</exception>
    public static DevelopmentPki LoadOrCreate(string directory, DevelopmentPkiPlan plan, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(plan);
        var errors = plan.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"invalid PKI plan: {string.Join("; ", errors)}", nameof(plan));
        }

        var root = Path.GetFullPath(directory);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        PemFiles.EnsureDirectory(root);
        PemFiles.EnsureDirectory(Path.Combine(root, RegionsFolder));
        PemFiles.EnsureDirectory(Path.Combine(root, ParticipantsFolder));

        using var directoryLock = DirectoryLock.Acquire(root);
        var entries = new List<PkiEntry>();
        var loaded = new List<X509Certificate2>();
        try
        {
            using var authority = LoadOrCreateAuthority(root, now, entries);
            X509Certificate2 Get(CertificateSpec spec)
            {
                var certificate = LoadOrIssue(root, spec, authority, now, entries);
                loaded.Add(certificate);
                return certificate;
            }

            var gatewayServer = Get(new CertificateSpec("gateway", GatewayCommonName, CertificateUsage.ServerAuthentication, CertificateLifetime));
            var gatewayClient = Get(new CertificateSpec(
                "gateway-client", GatewayClientCommonName(plan.CountyRegion), CertificateUsage.ClientAuthentication, CertificateLifetime));
            var regions = plan.RegionCodes.ToDictionary(
                code => code,
                code => Get(new CertificateSpec($"{RegionsFolder}/{code}", RegionCommonName(code), CertificateUsage.ServerAuthentication, CertificateLifetime)),
                StringComparer.Ordinal);
            var participants = plan.ParticipantIds.ToDictionary(
                id => id,
                id => Get(new CertificateSpec($"{ParticipantsFolder}/{id}", id, CertificateUsage.ClientAuthentication, CertificateLifetime)),
                StringComparer.Ordinal);
            var anchor = X509CertificateLoader.LoadCertificate(authority.RawData);
            return new DevelopmentPki(root, plan, entries, anchor, gatewayServer, gatewayClient, regions, participants);
        }
        catch
        {
            foreach (var certificate in loaded)
            {
                certificate.Dispose();
            }

            throw;
        }
    }

    /// <summary>The server certificate of a simulated region of the plan, with its key.</summary>
    /// <exception cref="ArgumentException">The region is not in the plan.</exception>
    public X509Certificate2 RegionServerCertificate(string regionCode) =>
        _regions.TryGetValue(regionCode, out var certificate)
            ? certificate
            : throw new ArgumentException($"region {regionCode} is not in this PKI's plan (regions: {string.Join(", ", _regions.Keys)})", nameof(regionCode));

    /// <summary>The client certificate of a participant of the plan (CN = its id), with its key.</summary>
    /// <exception cref="ArgumentException">The participant is not in the plan.</exception>
    public X509Certificate2 ParticipantCertificate(string participantId) =>
        _participants.TryGetValue(participantId, out var certificate) ? certificate : throw NotAParticipant(participantId);

    /// <summary>Full path of a participant's PEM certificate, for tools outside .NET.</summary>
    /// <exception cref="ArgumentException">The participant is not in the plan.</exception>
    public string ParticipantCertificatePath(string participantId) => ParticipantPath(participantId, ".crt");

    /// <summary>Full path of a participant's PEM PKCS#8 private key, for tools outside .NET.</summary>
    /// <exception cref="ArgumentException">The participant is not in the plan.</exception>
    public string ParticipantKeyPath(string participantId) => ParticipantPath(participantId, ".key");

    /// <inheritdoc />
    public void Dispose()
    {
        CaCertificate.Dispose();
        GatewayServerCertificate.Dispose();
        GatewayClientCertificate.Dispose();
        foreach (var certificate in _regions.Values.Concat(_participants.Values))
        {
            certificate.Dispose();
        }
    }

    private string ParticipantPath(string participantId, string extension) =>
        _participants.ContainsKey(participantId)
            ? Path.Combine(Directory, ParticipantsFolder, participantId + extension)
            : throw NotAParticipant(participantId);

    private static ArgumentException NotAParticipant(string participantId) =>
        new($"participant '{participantId}' is not in this PKI's plan; add it (exchange pki init --participant {participantId})", nameof(participantId));

    private static X509Certificate2 LoadOrCreateAuthority(string root, DateTimeOffset now, List<PkiEntry> entries)
    {
        var (certificatePath, keyPath) = PathsOf(root, "ca");
        var (existing, problem) = TryLoad(certificatePath, keyPath);
        if (existing is not null)
        {
            problem = AuthorityProblem(existing, now);
            if (problem is null)
            {
                entries.Add(Entry("ca", existing, certificatePath, keyPath, PkiEntryStatus.Loaded, null));
                return existing;
            }

            existing.Dispose();
        }

        var created = CertificateIssuer.CreateAuthority(CaCommonName, now, CaLifetime);
        PemFiles.Save(created, certificatePath, keyPath);
        entries.Add(Entry("ca", created, certificatePath, keyPath, problem is null ? PkiEntryStatus.Created : PkiEntryStatus.Replaced, problem));
        return created;
    }

    private static X509Certificate2 LoadOrIssue(
        string root, CertificateSpec spec, X509Certificate2 authority, DateTimeOffset now, List<PkiEntry> entries)
    {
        var (certificatePath, keyPath) = PathsOf(root, spec.Name);
        var (existing, problem) = TryLoad(certificatePath, keyPath);
        if (existing is not null)
        {
            using (existing)
            {
                problem = CertificateProblem(existing, spec, authority, now);
                if (problem is null)
                {
                    entries.Add(Entry(spec.Name, existing, certificatePath, keyPath, PkiEntryStatus.Loaded, null));
                    return TlsCertificates.Usable(existing);
                }
            }
        }

        using var issued = CertificateIssuer.Issue(spec, authority, now);
        PemFiles.Save(issued, certificatePath, keyPath);
        entries.Add(Entry(spec.Name, issued, certificatePath, keyPath, problem is null ? PkiEntryStatus.Created : PkiEntryStatus.Replaced, problem));
        return TlsCertificates.Usable(issued);
    }

    /// <summary>The pair on disk, or why it cannot be used; (null, null) when neither file exists.</summary>
    private static (X509Certificate2? Certificate, string? Problem) TryLoad(string certificatePath, string keyPath)
    {
        var hasCertificate = File.Exists(certificatePath);
        var hasKey = File.Exists(keyPath);
        if (!hasCertificate && !hasKey)
        {
            return (null, null);
        }

        if (!hasCertificate || !hasKey)
        {
            return (null, hasCertificate ? "private key missing" : "certificate missing");
        }

        try
        {
            return (PemFiles.Load(certificatePath, keyPath), null);
        }
        catch (Exception error) when (error is CryptographicException or ArgumentException or IOException)
        {
            return (null, $"unreadable ({error.Message.TrimEnd('.')})");
        }
    }

    private static string? AuthorityProblem(X509Certificate2 certificate, DateTimeOffset now)
    {
        if (!string.Equals(CertificateTrust.ParticipantIdOf(certificate), CaCommonName, StringComparison.Ordinal))
        {
            return $"subject is '{certificate.Subject}', expected CN={CaCommonName}";
        }

        if (!certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
        {
            return "not a CA certificate";
        }

        return ExpiryProblem(certificate, now);
    }

    private static string? CertificateProblem(X509Certificate2 certificate, CertificateSpec spec, X509Certificate2 authority, DateTimeOffset now)
    {
        if (!string.Equals(CertificateTrust.ParticipantIdOf(certificate), spec.CommonName, StringComparison.Ordinal))
        {
            return $"subject is '{certificate.Subject}', expected CN={spec.CommonName}";
        }

        if (!CertificateTrust.IsIssuedBy(certificate, authority, spec.Usage, now, out var error))
        {
            // Expiry has its own wording below; anything else here means another CA or a broken certificate.
            return now.UtcDateTime > certificate.NotAfter.ToUniversalTime()
                ? $"expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}"
                : $"not issued by the CA in this directory for {spec.Usage} ({error})";
        }

        return ExpiryProblem(certificate, now);
    }

    private static string? ExpiryProblem(X509Certificate2 certificate, DateTimeOffset now)
    {
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        if (now > notAfter)
        {
            return $"expired on {notAfter:yyyy-MM-dd}";
        }

        if (now < notBefore)
        {
            return $"not valid before {notBefore:yyyy-MM-dd}";
        }

        return notAfter - now < RenewalWindow ? $"expires on {notAfter:yyyy-MM-dd}, within {RenewalWindow.TotalDays:0} days" : null;
    }

    private static (string Certificate, string Key) PathsOf(string root, string name)
    {
        var basePath = Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar));
        return (basePath + ".crt", basePath + ".key");
    }

    private static PkiEntry Entry(string name, X509Certificate2 certificate, string certificatePath, string keyPath, PkiEntryStatus status, string? reason) =>
        new(name, CertificateTrust.ParticipantIdOf(certificate) ?? certificate.Subject, certificatePath, keyPath, status, reason,
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
}
