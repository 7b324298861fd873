using System.Text.Json;
using Exchange.Cli.Tests.Infrastructure;
using Exchange.Contracts.Medical.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Hosting;
using Exchange.Gateway.Sandbox;
using Exchange.PartnerSim.Population;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Exchange.Cli.Tests.Commands;

/// <summary>
/// <c>exchange audit verify</c> and <c>exchange audit export</c> against a sandbox gateway started in-process from the
/// shipped appsettings.json, with a state directory of its own: the trail its exchanges leave verifies, an edited or
/// deleted record is named, and the auditor exports records through the AuditService.
/// </summary>
public sealed class AuditCommandTests : IAsyncLifetime
{
    private readonly string _state = Directory.CreateTempSubdirectory("exchange-cli-audit-").FullName;
    private SandboxEnvironment? _sandbox;
    private GatewayHost? _gateway;

    private string Gateway => _gateway!.Address.ToString().TrimEnd('/');

    private string Pki => Path.Combine(_state, "pki");

    [Fact]
    public async Task Verify_SandboxTrail_IsOk_AndAfterTamperingNamesTheFirstBadRecord()
    {
        var person = Person();
        for (var i = 0; i < 3; i++)
        {
            await CallAsync(person);
        }

        await StopGatewayAsync(); // a final checkpoint signs every record

        var intact = await VerifyAsync();
        Assert.True(intact.ExitCode == 0, intact.ToString());
        Assert.Equal("OK", intact.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Contains("node gateway-341021-1: 3 records, ", intact.Output, StringComparison.Ordinal);
        Assert.Contains("signed through 3, 0 unsigned", intact.Output, StringComparison.Ordinal);

        await SqlAsync("UPDATE audit_records SET caller = 'county-clinic' WHERE sequence = 2");
        var edited = await VerifyAsync();
        Assert.True(edited.ExitCode == 1, edited.ToString());
        Assert.Contains("FIRST BAD RECORD: node gateway-341021-1, record 2 (store): RecordAltered", edited.Output, StringComparison.Ordinal);
        Assert.EndsWith("FAILED" + Environment.NewLine, edited.Output, StringComparison.Ordinal);

        await SqlAsync("DELETE FROM audit_records WHERE sequence = 2");
        var deleted = await VerifyAsync();
        Assert.Equal(1, deleted.ExitCode);
        Assert.Contains("record 2 (store): RecordMissing", deleted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NoTrailAtThePath_IsAnError()
    {
        var result = await ExchangeCommand.RunAsync(
            "audit", "verify", "--sqlite", Path.Combine(_state, "nowhere.db"), "--public-key", Path.Combine(_state, "audit-checkpoint.pub.pem"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no audit trail at", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_AsTheAuditor_WritesTheRecordsAboutAPersonAsNdjson_WithoutTheIdentifier()
    {
        var person = Person();
        await CallAsync(person);
        await CallAsync(person);
        var output = Path.Combine(_state, "export.ndjson");

        var toStdout = await ExchangeCommand.RunAsync(
            "audit", "export", "--gateway", Gateway, "--pki", Pki, "--citizen-id", person, "--method", "CrossRegionSettlementService/GetInsuredPerson");
        var toFile = await ExchangeCommand.RunAsync("audit", "export", "--gateway", Gateway, "--pki", Pki, "--caller", "county-hospital", "--output", output);

        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        var lines = toStdout.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("record", json.RootElement.GetProperty("kind").GetString());
            Assert.Equal("GetInsuredPerson", json.RootElement.GetProperty("method").GetString());
            Assert.Equal("accepted", json.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(64, json.RootElement.GetProperty("hash").GetString()!.Length);
        });
        Assert.DoesNotContain(person, toStdout.Output, StringComparison.Ordinal);
        Assert.Contains("exported 2 audit record(s)", toStdout.Error, StringComparison.Ordinal);
        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        Assert.Equal(2, (await File.ReadAllLinesAsync(output)).Length);

        var notAnAuditor = await ExchangeCommand.RunAsync("audit", "export", "--gateway", Gateway, "--pki", Pki, "--as", "county-hospital");
        Assert.Equal(1, notAnAuditor.ExitCode);
        Assert.StartsWith("error: PERMISSION_DENIED: ", notAnAuditor.Error, StringComparison.Ordinal);
    }

    public async Task InitializeAsync()
    {
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), "src", "Exchange.Gateway", "appsettings.json")).Build()
            .GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()!;
        var options = settings with
        {
            Listen = settings.Listen with { Port = 0 },
            Sandbox = settings.Sandbox with { StateDirectory = _state },
        };
        _sandbox = await SandboxEnvironment.StartAsync(options);
        _gateway = await GatewayHost.StartAsync(_sandbox.Options);
    }

    public async Task DisposeAsync()
    {
        await StopGatewayAsync();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Exchange.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Exchange.sln not found above the test output directory");
    }

    private static string Person() =>
        PopulationSeeder.Create("310000", SandboxDefaults.Seed, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)))
            .Insurance.First(i => i.Status == InsuranceStatus.Active).CitizenId;

    private async Task StopGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
            _gateway = null;
        }
    }

    private async Task CallAsync(string citizenId)
    {
        var result = await ExchangeCommand.RunAsync(
            "call", "CrossRegionSettlementService/GetInsuredPerson", "--gateway", Gateway, "--pki", Pki,
            "--json", $$"""{ "insuredRegion": "310000", "citizenId": "{{citizenId}}", "purpose": "PURPOSE_OF_USE_MEDICAL_SETTLEMENT" }""");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private Task<CliResult> VerifyAsync() => ExchangeCommand.RunAsync(
        "audit", "verify",
        "--sqlite", Path.Combine(_state, "audit.db"),
        "--public-key", Path.Combine(_state, "audit-checkpoint.pub.pem"),
        "--archive", Path.Combine(_state, "audit-archive"));

    private async Task SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_state, "audit.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
