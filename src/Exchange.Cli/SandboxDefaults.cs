using Exchange.Pki;

namespace Exchange.Cli;

/// <summary>
/// The defaults of the gateway's embedded sandbox, which the <c>exchange</c> command assumes unless told otherwise.
/// They mirror the gateway's appsettings.json: change both together.
/// </summary>
public static class SandboxDefaults
{
    /// <summary>The sandbox gateway's mTLS endpoint.</summary>
    public const string GatewayAddress = "https://127.0.0.1:7443";

    /// <summary>
    /// The development PKI directory: the gateway's sandbox state directory + "/pki", found the same way the gateway
    /// finds it (the repository root inside a checkout, else the working directory).
    /// </summary>
    public static string PkiDirectory => Path.Combine(StateDirectory, "pki");

    /// <summary>The gateway's sandbox state directory (".exchange", found as the gateway finds it).</summary>
    public static string StateDirectory => SandboxStateDirectory.Resolve(".exchange");

    /// <summary>The sandbox gateway's audit trail (SQLite).</summary>
    public static string AuditSqlitePath => Path.Combine(StateDirectory, Gateway.Audit.AuditSetup.SqliteFileName);

    /// <summary>The public key of the sandbox gateway's development checkpoint key.</summary>
    public static string AuditPublicKeyPath =>
        Gateway.Audit.AuditCheckpointSigner.PublicKeyPath(Path.Combine(StateDirectory, Gateway.Audit.AuditSetup.CheckpointKeyFileName));

    /// <summary>The sandbox gateway's audit archive files.</summary>
    public static string AuditArchiveDirectory => Path.Combine(StateDirectory, Gateway.Audit.AuditSetup.ArchiveDirectoryName);

    /// <summary>The sandbox's auditor participant, who may call the AuditService.</summary>
    public const string Auditor = "auditor";

    /// <summary>The participant a call is made as when none is named.</summary>
    public const string Participant = "county-hospital";

    /// <summary>GB/T 2260 code of the county the gateway serves: She County (歙县).</summary>
    public const string CountyRegion = "341021";

    /// <summary>Seed of the simulated regions' populations; the demo finds its people with the same seed.</summary>
    public const int Seed = 2260;

    /// <summary>Residents per simulated region (the simulator's default).</summary>
    public const int ResidentCount = 240;

    /// <summary>How long a call may take before it is abandoned, in seconds.</summary>
    public const double CallTimeoutSeconds = 30;

    /// <summary>National medical institution code of She County People's Hospital, the demo's treating hospital.</summary>
    public const string CountyHospitalCode = "H34102100001";

    /// <summary>National medical institution code of the Shanghai hospital in the demo's inbound settlement.</summary>
    public const string ShanghaiHospitalCode = "H31010100007";

    /// <summary>The simulated regions: the county's own systems, Shanghai, Jiangsu, Zhejiang, Hangzhou and Anhui.</summary>
    public static IReadOnlyList<string> RegionCodes { get; } = ["341021", "310000", "320000", "330000", "330100", "340000"];

    /// <summary>The participants the sandbox gateway knows, each with a client certificate in the development PKI.</summary>
    public static IReadOnlyList<string> Participants { get; } =
    [
        "county-hospital",
        "county-social-security",
        "county-credit-office",
        "county-archive",
        "shanghai-platform",
        "jiangsu-platform",
        "zhejiang-platform",
        "anhui-platform",
        "hangzhou-museum",
        "auditor",
    ];

    /// <summary>The sandbox's PKI plan, with <paramref name="extraParticipants"/> added (duplicates ignored).</summary>
    public static DevelopmentPkiPlan PkiPlan(IEnumerable<string>? extraParticipants = null) =>
        new(CountyRegion, RegionCodes, [.. Participants.Concat(extraParticipants ?? []).Distinct(StringComparer.Ordinal)]);
}
