using Exchange.Gateway.Audit;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Exchange.Gateway.Tests.Audit.Integration;

/// <summary>
/// The "Exchange:Audit" section: how it binds, the host's defaults (the gateway's node id, audit.db and audit-archive
/// in the state directory), its errors reported with the gateway's under "Audit.", and the sandbox's keys.
/// </summary>
public sealed class AuditConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-audit-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Section_BindsFromExchangeAudit()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exchange:Audit:Store"] = "Postgres",
            ["Exchange:Audit:PostgresConnectionString"] = "Host=db;Username=exchange;Password=x;Database=exchange",
            ["Exchange:Audit:PostgresSchema"] = "audit",
            ["Exchange:Audit:NodeId"] = "gateway-a",
            ["Exchange:Audit:CheckpointEveryRecords"] = "50",
            ["Exchange:Audit:CheckpointInterval"] = "00:00:10",
            ["Exchange:Audit:RetentionPeriod"] = "365.00:00:00",
        }).Build();

        var audit = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()!.Audit;

        Assert.Equal(
            new AuditOptions
            {
                Store = AuditStoreKind.Postgres,
                PostgresConnectionString = "Host=db;Username=exchange;Password=x;Database=exchange",
                PostgresSchema = "audit",
                NodeId = "gateway-a",
                CheckpointEveryRecords = 50,
                CheckpointInterval = TimeSpan.FromSeconds(10),
                RetentionPeriod = TimeSpan.FromDays(365),
            },
            audit);
    }

    [Fact]
    public void Defaults_AreTheGatewaysNodeId_AndAuditDbAndArchiveInTheStateDirectory()
    {
        var options = new GatewayOptions { NodeId = "gateway-341021-7", Sandbox = new SandboxOptions { StateDirectory = _directory } };

        var resolved = AuditSetup.Resolve(options);

        Assert.Equal("gateway-341021-7", resolved.NodeId);
        Assert.Equal(Path.Combine(_directory, "audit.db"), resolved.SqlitePath);
        Assert.Equal(Path.Combine(_directory, "audit-archive"), resolved.ArchiveDirectory);
        Assert.Equal("gateway-b", AuditSetup.Resolve(options with { Audit = new AuditOptions { NodeId = "gateway-b" } }).NodeId);
    }

    [Fact]
    public void Validate_AuditMistakes_AreReportedWithTheGatewaysErrors_EachNamingItsKey()
    {
        var options = Sandbox() with
        {
            Audit = new AuditOptions
            {
                Store = AuditStoreKind.Postgres,
                PostgresSchema = "Audit",
                NodeId = "gateway 1",
                SubjectHashKey = Convert.ToBase64String(new byte[16]),
                BatchSize = 0,
                WriteTimeout = TimeSpan.FromDays(2),
            },
        };

        Assert.Equal(
            [
                "Audit.PostgresConnectionString: must be set when Store is Postgres",
                "Audit.PostgresSchema: 'Audit' is not a lower-case SQL identifier",
                "Audit.NodeId: 'gateway 1' must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'",
                "Audit.SubjectHashKey: 16 bytes; at least 32 are needed",
                "Audit.BatchSize: 0 must be positive",
                "Audit.WriteTimeout: 2.00:00:00 must be at most 1.00:00:00",
            ],
            GatewayOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_OutsideTheSandbox_TheKeysAreRequired_AndTheCheckpointKeyFileMustExist()
    {
        var options = Sandbox() with { Sandbox = new SandboxOptions { Enabled = false, StateDirectory = _directory } };
        var audit = new AuditOptions { SubjectHashKey = Convert.ToBase64String(new byte[32]), CheckpointKeyPath = Path.Combine(_directory, "missing.pem") };

        var errors = GatewayOptionsValidator.Validate(options with { Audit = audit }).Where(e => e.StartsWith("Audit.", StringComparison.Ordinal));
        var unset = GatewayOptionsValidator.Validate(options).Where(e => e.StartsWith("Audit.", StringComparison.Ordinal));

        Assert.Equal([$"Audit.CheckpointKeyPath: file '{audit.CheckpointKeyPath}' does not exist"], errors);
        Assert.Equal(["Audit.SubjectHashKey: must be set (base64, at least 32 bytes)", "Audit.CheckpointKeyPath: must be set"], unset);
    }

    [Fact]
    public void SandboxKeys_AreMadeOnceOwnerOnly_AndReusedAfter()
    {
        var first = AuditSetup.WithDevelopmentKeys(new AuditOptions(), _directory);
        var second = AuditSetup.WithDevelopmentKeys(new AuditOptions(), _directory);

        Assert.Equal(first.SubjectHashKey, second.SubjectHashKey);
        Assert.Equal(32, Convert.FromBase64String(first.SubjectHashKey!).Length);
        Assert.Equal(Path.Combine(_directory, "audit-checkpoint.pem"), first.CheckpointKeyPath);
        Assert.True(File.Exists(Path.Combine(_directory, "audit-checkpoint.pub.pem")));
        using (var a = AuditCheckpointSigner.Load(first.CheckpointKeyPath!))
        using (var b = AuditCheckpointSigner.Load(second.CheckpointKeyPath!))
        {
            Assert.Equal(a.KeyId, b.KeyId);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "audit-subject.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.CheckpointKeyPath!));
        }

        var configured = new AuditOptions { SubjectHashKey = "configured" };
        Assert.Equal("configured", AuditSetup.WithDevelopmentKeys(configured, _directory).SubjectHashKey);
    }

    [Fact]
    public void ShippedAppSettings_LetTheAuditorCallTheAuditService()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Exchange.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Exchange.sln not found");
        }

        var options = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "src", "Exchange.Gateway", "appsettings.json")).Build()
            .GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()!;

        var auditor = Assert.Single(options.Participants, p => p.Role == ParticipantRole.Auditor);
        Assert.Contains("exchange.audit.v1.AuditService/*", auditor.Methods);
        Assert.Contains(Exchange.Contracts.V1.PurposeOfUse.Audit, auditor.Purposes);
        Assert.All(options.Participants.Where(p => p.Role != ParticipantRole.Auditor), p => Assert.DoesNotContain(p.Methods, m => m.StartsWith("exchange.audit.", StringComparison.Ordinal)));
    }

    private GatewayOptions Sandbox() => new()
    {
        NodeId = "gateway-341021-1",
        Sandbox = new SandboxOptions { Enabled = true, StateDirectory = _directory },
        Regions = [.. GatewayEnvironment.RegionCodes.Select(code => new RegionOptions { Code = code, Name = code })],
        Participants = TestParticipants.Configured(),
    };
}
