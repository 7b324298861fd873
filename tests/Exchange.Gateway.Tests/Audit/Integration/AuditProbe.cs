using System.Diagnostics;
using System.Text;
using Exchange.Gateway.Audit;
using Exchange.Gateway.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Exchange.Gateway.Tests.Audit.Integration;

/// <summary>
/// Reads a test gateway's audit trail: the records of one trace (each exchange under test sends a trace context of
/// its own, so its records are found exactly), the whole chain, the verifier's report, and every stored byte.
/// </summary>
internal static class AuditProbe
{
    /// <summary>Headers carrying a new sampled W3C trace context, and its trace id.</summary>
    public static (Metadata Headers, string TraceId) NewTrace()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var headers = new Metadata { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01" } };
        return (headers, traceId);
    }

    /// <summary>The gateway's audit store.</summary>
    public static IAuditStore Store(GatewayEnvironment environment) => environment.Gateway.Services.GetRequiredService<IAuditStore>();

    /// <summary>The gateway's subject hasher (its key), to compute the hash a record must hold.</summary>
    public static AuditSubjectHasher Hasher(GatewayEnvironment environment) => environment.Gateway.Services.GetRequiredService<AuditSubjectHasher>();

    /// <summary>The records of <paramref name="traceId"/>, in chain order.</summary>
    public static async Task<IReadOnlyList<AuditRecord>> RecordsOfTraceAsync(GatewayEnvironment environment, string traceId) =>
        (await Store(environment).QueryAsync(new AuditQuery { TraceId = traceId, PageSize = 1000 }, CancellationToken.None)).Records;

    /// <summary>The one record of <paramref name="traceId"/>; fails if there is not exactly one.</summary>
    public static async Task<AuditRecord> SingleRecordOfTraceAsync(GatewayEnvironment environment, string traceId) =>
        Assert.Single(await RecordsOfTraceAsync(environment, traceId));

    /// <summary>Every record of the gateway's chain.</summary>
    public static async Task<IReadOnlyList<AuditRecord>> ChainAsync(GatewayEnvironment environment)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in Store(environment).ReadChainAsync(environment.Gateway.Options.NodeId, 0, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Verifies every chain of the environment's trail with the environment's checkpoint public key.</summary>
    public static async Task<AuditVerificationReport> VerifyAsync(GatewayEnvironment environment)
    {
        using var keys = AuditCheckpointKeys.Load(AuditCheckpointSigner.PublicKeyPath(environment.Gateway.Options.Audit.CheckpointKeyPath!));
        return await new AuditVerifier(Store(environment), keys, Path.Combine(environment.StateDirectory, "audit-archive")).VerifyAsync();
    }

    /// <summary>Every value of every table of a SQLite audit database, as text (blobs as hex and as UTF-8).</summary>
    public static async Task<string> DumpSqliteAsync(string path)
    {
        var dump = new StringBuilder();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    dump.Append(reader.GetName(i)).Append('=');
                    if (value is byte[] bytes)
                    {
                        dump.Append(Convert.ToHexString(bytes)).Append('|').Append(Encoding.UTF8.GetString(bytes));
                    }
                    else
                    {
                        dump.Append(System.Globalization.CultureInfo.InvariantCulture, $"{value}");
                    }

                    dump.Append(' ');
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }
}
