using Exchange.Gateway.Configuration;
using Exchange.Gateway.Idempotency;
using Exchange.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>The Idempotency section: its defaults, how it binds, and each mistake reported naming its key.</summary>
public sealed class IdempotencyOptionsValidationTests
{
    [Fact]
    public void Defaults_AreSqliteInTheStateDirectory_KeptSevenDays_AndValid()
    {
        var options = Valid();

        Assert.Equal(IdempotencyStoreKind.Sqlite, options.Idempotency.Store);
        Assert.Equal(TimeSpan.FromDays(7), options.Idempotency.Retention);
        Assert.True(options.Idempotency.LeaseDuration > options.Outbound.DefaultTimeout);
        Assert.Equal(
            Exchange.Pki.SandboxStateDirectory.Resolve(Path.Combine(".exchange", "gateway.db")),
            IdempotencyServiceCollectionExtensions.SqlitePathOf(options));
        Assert.Empty(GatewayOptionsValidator.Validate(options));
    }

    [Fact]
    public void Section_BindsFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exchange:Idempotency:Store"] = "Postgres",
            ["Exchange:Idempotency:PostgresConnectionString"] = "Host=db;Username=exchange;Password=x;Database=exchange",
            ["Exchange:Idempotency:PostgresSchema"] = "gateway",
            ["Exchange:Idempotency:Retention"] = "10.00:00:00",
            ["Exchange:Idempotency:LeaseDuration"] = "00:05:00",
            ["Exchange:Idempotency:PurgeInterval"] = "00:10:00",
        }).Build();

        var options = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()!.Idempotency;

        Assert.Equal(
            new IdempotencyOptions
            {
                Store = IdempotencyStoreKind.Postgres,
                PostgresConnectionString = "Host=db;Username=exchange;Password=x;Database=exchange",
                PostgresSchema = "gateway",
                Retention = TimeSpan.FromDays(10),
                LeaseDuration = TimeSpan.FromMinutes(5),
                PurgeInterval = TimeSpan.FromMinutes(10),
            },
            options);
    }

    [Theory]
    [InlineData("store", "Idempotency.Store: '7' must be Sqlite or Postgres")]
    [InlineData("blank sqlite path", "Idempotency.SqlitePath: must not be blank (leave it unset for gateway.db in the sandbox state directory)")]
    [InlineData("no connection string", "Idempotency.PostgresConnectionString: must be set when Store is Postgres")]
    [InlineData("bad connection string", "Idempotency.PostgresConnectionString: is not a valid Npgsql connection string")]
    [InlineData("schema", "Idempotency.PostgresSchema: 'Exchange-Gateway' must be lower-case letters, digits and '_' (at most 63, not starting with a digit)")]
    [InlineData("lease", "Idempotency.LeaseDuration: 00:00:30 must be longer than Outbound.DefaultTimeout (00:00:30), the longest a forward may take")]
    [InlineData("retention", "Idempotency.Retention: 00:01:00 must be longer than Idempotency.LeaseDuration (00:02:00)")]
    [InlineData("purge interval", "Idempotency.PurgeInterval: must be positive")]
    public void Validate_OneMistake_ReportsExactlyThatError(string mistake, string expected)
    {
        var valid = Valid();
        var postgres = valid.Idempotency with { Store = IdempotencyStoreKind.Postgres, PostgresConnectionString = "Host=db;Username=exchange;Database=exchange" };
        var idempotency = mistake switch
        {
            "store" => valid.Idempotency with { Store = (IdempotencyStoreKind)7 },
            "blank sqlite path" => valid.Idempotency with { SqlitePath = " " },
            "no connection string" => postgres with { PostgresConnectionString = null },
            "bad connection string" => postgres with { PostgresConnectionString = "Host=db;Flavour=vanilla;Password=secret" },
            "schema" => postgres with { PostgresSchema = "Exchange-Gateway" },
            "lease" => valid.Idempotency with { LeaseDuration = TimeSpan.FromSeconds(30) },
            "retention" => valid.Idempotency with { Retention = TimeSpan.FromMinutes(1) },
            "purge interval" => valid.Idempotency with { PurgeInterval = TimeSpan.Zero },
            _ => throw new ArgumentOutOfRangeException(nameof(mistake), mistake, "no such case"),
        };

        Assert.Equal([expected], GatewayOptionsValidator.Validate(valid with { Idempotency = idempotency }));
    }

    [Fact]
    public void Validate_PostgresWithAValidConnectionStringAndSchema_HasNoErrors()
    {
        var valid = Valid();

        Assert.Empty(GatewayOptionsValidator.Validate(valid with
        {
            Idempotency = valid.Idempotency with { Store = IdempotencyStoreKind.Postgres, PostgresConnectionString = TestPostgres.ConnectionString, PostgresSchema = "exchange_gateway_2" },
        }));
    }

    private static GatewayOptions Valid() => new()
    {
        NodeId = "gateway-341021-1",
        Sandbox = new SandboxOptions { Enabled = true },
        Regions = [.. GatewayEnvironment.RegionCodes.Select(code => new RegionOptions { Code = code, Name = code })],
        Participants = TestParticipants.Configured(),
    };
}
