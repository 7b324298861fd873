using System.Net;
using System.Net.Sockets;
using Exchange.Contracts.V1;
using Exchange.Gateway.Configuration;
using Exchange.Gateway.Hosting;
using Exchange.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Exchange.Gateway.Tests.Configuration;

public sealed class GatewayOptionsValidatorTests : IDisposable
{
    // Validation only asks whether certificate files exist, so empty files stand in for PEM files.
    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Validate_SandboxLikeConfiguration_HasNoErrors()
    {
        var options = SandboxLike();

        Assert.Empty(GatewayOptionsValidator.Validate(options));
        GatewayOptionsValidator.ThrowIfInvalid(options);
    }

    [Fact]
    public void Validate_ShippedAppSettings_HasNoErrors()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), "src", "Exchange.Gateway", "appsettings.json")).Build();
        var options = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>();

        Assert.NotNull(options);
        Assert.True(options.Sandbox.Enabled);
        Assert.NotEmpty(options.Participants);
        Assert.Empty(GatewayOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_ProductionConfigurationWithCertificateFiles_HasNoErrors()
    {
        Assert.Empty(GatewayOptionsValidator.Validate(Production()));
    }

    [Fact]
    public void Validate_ConfigurationWithManyMistakes_ReportsEveryErrorNamingTheEntry()
    {
        var missingCertificate = Path.Combine(_directory, "missing", "gateway.crt");
        var missingClientCertificate = Path.Combine(_directory, "missing", "gateway-client.crt");
        var valid = Production();
        var options = valid with
        {
            Listen = valid.Listen with { ServerCertificatePath = missingCertificate, ServerKeyPath = null },
            Outbound = valid.Outbound with { ClientCertificatePath = missingClientCertificate },
            Regions =
            [
                new RegionOptions { Code = "31000", Endpoints = ["https://127.0.0.1:7001"] },
                new RegionOptions { Code = "320000", Endpoints = ["https://127.0.0.1:7002"] },
                new RegionOptions { Code = "320000", Endpoints = ["not a url"] },
                new RegionOptions { Code = "", Endpoints = ["https://127.0.0.1:7004"] },
            ],
            Participants =
            [
                Participant("") with { Region = "341021" },
                Participant("county-hospital"),
                Participant("county-hospital"),
                Participant("museum") with
                {
                    Methods =
                    [
                        "Settle",
                        "exchange.medical.v1.NoSuchService/*",
                        "exchange.medical.v1.CrossRegionSettlementService/Pay",
                        "exchange.socialsecurity.v1.SocialSecurityCardService/VerifyCard",
                    ],
                    Targets = ["341021", "31"],
                    Purposes = [PurposeOfUse.PublicServiceAccess, PurposeOfUse.Unspecified],
                },
            ],
        };

        var errors = GatewayOptionsValidator.Validate(options);

        Assert.Equal(
            [
                $"Listen.ServerCertificatePath: file '{missingCertificate}' does not exist",
                "Listen.ServerKeyPath: must be set",
                $"Outbound.ClientCertificatePath: file '{missingClientCertificate}' does not exist",
                "Regions[31000].Code: '31000' must be 6 digits",
                "Regions[320000]: the region code is routed twice",
                "Regions[320000].Endpoints: 'not a url' is not an http:// or https:// address",
                "Regions[3].Code: '' is required",
                "Regions: no route covers the county's own region 341021",
                "Participants[0].Id: must be set (the CN of its client certificate)",
                "Participants[county-hospital]: the participant id is used twice",
                "Participants[museum].Methods: 'Settle' is not '*', 'package.Service/*' or 'package.Service/Method'",
                "Participants[museum].Methods: 'exchange.medical.v1.NoSuchService/*' names no service of the contract set ('exchange.medical.v1.NoSuchService')",
                "Participants[museum].Methods: 'exchange.medical.v1.CrossRegionSettlementService/Pay' names no method of exchange.medical.v1.CrossRegionSettlementService",
                "Participants[museum].Targets: '31' must be 6 digits",
                "Participants[museum].Purposes: every purpose must be a defined PurposeOfUse other than Unspecified",
            ],
            errors);
        var thrown = Assert.Throws<GatewayConfigurationException>(() => GatewayOptionsValidator.ThrowIfInvalid(options));
        Assert.Equal(errors, thrown.Errors);
        Assert.Equal("invalid gateway configuration:\n  " + string.Join("\n  ", errors), thrown.Message);
    }

    [Theory]
    [InlineData("node id", "NodeId: must be set")]
    [InlineData("county", "CountyRegion: '341099' names no known region")]
    [InlineData("listen address", "Listen.Address: 'localhost' is not an IP address")]
    [InlineData("listen port", "Listen.Port: 70000 is not a port number")]
    [InlineData("client ca", "Listen.ClientCaPath: must be set")]
    [InlineData("outbound key", "Outbound: ClientCertificatePath and ClientKeyPath must be set together")]
    [InlineData("trusted ca", "Outbound.TrustedCaPath: file '{dir}/nowhere/ca.crt' does not exist")]
    [InlineData("deadline margin", "Outbound.DeadlineMargin: must not be negative")]
    [InlineData("default timeout", "Outbound.DefaultTimeout: must be positive")]
    [InlineData("limits", "Limits: MaxRequestBytes and MaxResponseBytes must be positive")]
    [InlineData("county not routed", "Regions: no route covers the county's own region 341021")]
    [InlineData("no endpoints", "Regions[310000].Endpoints: at least one endpoint is needed")]
    [InlineData("participant region", "Participants[county-hospital].Region: '' is required")]
    [InlineData("clearance", "Participants[county-hospital].Clearance: must be Public, Internal, Personal or SensitivePersonal")]
    [InlineData("undefined purpose", "Participants[county-hospital].Purposes: every purpose must be a defined PurposeOfUse other than Unspecified")]
    [InlineData("sample ratio above one", "Telemetry.TraceSampleRatio: 1.5 is not a share between 0 and 1")]
    [InlineData("sample ratio negative", "Telemetry.TraceSampleRatio: -0.1 is not a share between 0 and 1")]
    [InlineData("sample ratio not a number", "Telemetry.TraceSampleRatio: NaN is not a share between 0 and 1")]
    public void Validate_OneMistake_ReportsExactlyThatError(string mistake, string expected)
    {
        var valid = Production();
        var options = mistake switch
        {
            "node id" => valid with { NodeId = " " },
            "county" => valid with { CountyRegion = "341099" },
            "listen address" => valid with { Listen = valid.Listen with { Address = "localhost" } },
            "listen port" => valid with { Listen = valid.Listen with { Port = 70_000 } },
            "client ca" => valid with { Listen = valid.Listen with { ClientCaPath = null } },
            "outbound key" => valid with { Outbound = valid.Outbound with { ClientKeyPath = null } },
            "trusted ca" => valid with { Outbound = valid.Outbound with { TrustedCaPath = Path.Combine(_directory, "nowhere", "ca.crt") } },
            "deadline margin" => valid with { Outbound = valid.Outbound with { DeadlineMargin = TimeSpan.FromMilliseconds(-1) } },
            "default timeout" => valid with { Outbound = valid.Outbound with { DefaultTimeout = TimeSpan.Zero } },
            "limits" => valid with { Limits = valid.Limits with { MaxResponseBytes = 0 } },
            "county not routed" => valid with { Regions = [.. valid.Regions.Where(r => !r.Code.StartsWith("34", StringComparison.Ordinal))] },
            "no endpoints" => valid with { Regions = [.. valid.Regions.Select(r => r.Code == "310000" ? r with { Endpoints = [] } : r)] },
            "participant region" => valid with { Participants = [Participant("county-hospital") with { Region = "" }] },
            "clearance" => valid with { Participants = [Participant("county-hospital") with { Clearance = Sensitivity.Unspecified }] },
            "undefined purpose" => valid with { Participants = [Participant("county-hospital") with { Purposes = [(PurposeOfUse)99] }] },
            "sample ratio above one" => valid with { Telemetry = new TelemetryOptions { TraceSampleRatio = 1.5 } },
            "sample ratio negative" => valid with { Telemetry = new TelemetryOptions { TraceSampleRatio = -0.1 } },
            "sample ratio not a number" => valid with { Telemetry = new TelemetryOptions { TraceSampleRatio = double.NaN } },
            _ => throw new ArgumentOutOfRangeException(nameof(mistake), mistake, "no such case"),
        };

        Assert.Equal([expected.Replace("{dir}", _directory, StringComparison.Ordinal)], GatewayOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_SandboxWithoutEndpointsCertificatesOrAuditKeys_HasNoErrorsButTheSameConfigurationWithoutSandboxDoes()
    {
        var sandbox = SandboxLike();

        var errors = GatewayOptionsValidator.Validate(sandbox with { Sandbox = sandbox.Sandbox with { Enabled = false } });

        Assert.Equal(
            [
                "Listen.ServerCertificatePath: must be set",
                "Listen.ServerKeyPath: must be set",
                "Listen.ClientCaPath: must be set",
                .. sandbox.Regions.Select(r => $"Regions[{r.Code}].Endpoints: at least one endpoint is needed"),
                "Audit.SubjectHashKey: must be set (base64, at least 32 bytes)",
                "Audit.CheckpointKeyPath: must be set",
            ],
            errors);
    }

    [Fact]
    public async Task StartAsync_InvalidConfiguration_ThrowsBeforeListening()
    {
        var port = FreePort();
        var valid = Production();
        var options = valid with
        {
            Listen = valid.Listen with { Port = port, ServerCertificatePath = Path.Combine(_directory, "missing.crt") },
            Participants = [Participant("county-hospital") with { Methods = ["exchange.medical.v1.CrossRegionSettlementService/Pay"] }],
        };

        // Had it not validated first, loading the missing certificate would have failed with another exception.
        var e = await Assert.ThrowsAsync<GatewayConfigurationException>(() => GatewayHost.StartAsync(options));

        Assert.Equal(
            [
                $"Listen.ServerCertificatePath: file '{Path.Combine(_directory, "missing.crt")}' does not exist",
                "Participants[county-hospital].Methods: 'exchange.medical.v1.CrossRegionSettlementService/Pay' names no method of exchange.medical.v1.CrossRegionSettlementService",
            ],
            e.Errors);
        using var probe = new TcpListener(IPAddress.Loopback, port);
        probe.Start(); // nothing took the port
        probe.Stop();
    }

    private static GatewayOptions SandboxLike() => new()
    {
        NodeId = "gateway-341021-1",
        Sandbox = new SandboxOptions { Enabled = true },
        Regions = [.. GatewayEnvironment.RegionCodes.Select(code => new RegionOptions { Code = code, Name = code })],
        Participants = TestParticipants.Configured(),
    };

    private GatewayOptions Production()
    {
        string File(string name)
        {
            var path = Path.Combine(_directory, name);
            System.IO.File.WriteAllText(path, "");
            return path;
        }

        return new GatewayOptions
        {
            Listen = new Gateway.Configuration.ListenOptions
            {
                ServerCertificatePath = File("gateway.crt"), ServerKeyPath = File("gateway.key"), ClientCaPath = File("ca.crt"),
            },
            Outbound = new OutboundOptions
            {
                ClientCertificatePath = File("gateway-client.crt"), ClientKeyPath = File("gateway-client.key"), TrustedCaPath = File("ca.crt"),
            },
            Regions =
            [
                .. GatewayEnvironment.RegionCodes.Select((code, i) => new RegionOptions { Code = code, Name = code, Endpoints = [$"https://10.0.0.{i + 1}:7443"] }),
            ],
            Participants = TestParticipants.Configured(),
            Audit = new Gateway.Audit.AuditOptions { SubjectHashKey = Convert.ToBase64String(new byte[32]), CheckpointKeyPath = File("audit-checkpoint.pem") },
        };
    }

    private static ParticipantOptions Participant(string id) => new()
    {
        Id = id,
        Region = "330100",
        Clearance = Sensitivity.Public,
        Methods = ["exchange.socialsecurity.v1.SocialSecurityCardService/VerifyCard"],
        Targets = ["341021"],
        Purposes = [PurposeOfUse.PublicServiceAccess],
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Exchange.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Exchange.sln not found above the test output directory");
    }
}
