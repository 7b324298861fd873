using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Exchange.Gateway.Audit;

namespace Exchange.Cli.Commands;

/// <summary>
/// <c>exchange audit verify</c>: checks every chain of an audit trail — archive files, then the store, as one chain
/// from genesis — and every checkpoint's signature, and prints OK or, per broken chain, its first bad record and why.
/// Exit code 0 when every chain is intact, 1 otherwise. Defaults: the sandbox gateway's trail and development key.
/// </summary>
internal static class AuditVerifyCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store")
        {
            Description = "Where the records are: sqlite or postgres",
            DefaultValueFactory = _ => "sqlite",
        };
        store.AcceptOnlyFromAmong("sqlite", "postgres");
        var sqlite = new Option<string>("--sqlite")
        {
            Description = "The SQLite file (--store sqlite)",
            DefaultValueFactory = _ => SandboxDefaults.AuditSqlitePath,
        };
        var postgres = new Option<string?>("--postgres") { Description = "Npgsql connection string of the shared database (--store postgres)" };
        var schema = new Option<string>("--postgres-schema")
        {
            Description = "PostgreSQL schema of the audit tables",
            DefaultValueFactory = _ => new AuditOptions().PostgresSchema,
        };
        var keys = new Option<string[]>("--public-key")
        {
            Description = "PEM public key checkpoints are verified with (repeat for rotated keys)",
            DefaultValueFactory = _ => [SandboxDefaults.AuditPublicKeyPath],
        };
        var archive = new Option<string>("--archive")
        {
            Description = "Directory of the archive files (one subdirectory per node)",
            DefaultValueFactory = _ => SandboxDefaults.AuditArchiveDirectory,
        };
        var nodes = new Option<string[]>("--node") { Description = "Verify only this node's chain (repeatable); default every chain found" };
        var command = new Command("verify", "Verify the audit trail's hash chains, checkpoints and archives; print OK or the first bad record")
        {
            store, sqlite, postgres, schema, keys, archive, nodes,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new VerifyArguments(
                parse.GetValue(store)!,
                parse.GetValue(sqlite)!,
                parse.GetValue(postgres),
                parse.GetValue(schema)!,
                parse.GetValue(keys) ?? [],
                parse.GetValue(archive)!,
                parse.GetValue(nodes) ?? []),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Verifies; returns the exit code.</summary>
    public static async Task<int> RunAsync(VerifyArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (arguments.PublicKeys.Count == 0)
        {
            await error.WriteLineAsync("error: --public-key: at least one public key is needed").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (OpenStore(arguments, error) is not { } store)
        {
            return ExitCodes.Usage;
        }

        await using (store.ConfigureAwait(false))
        {
            AuditCheckpointKeys keys;
            try
            {
                keys = AuditCheckpointKeys.Load(arguments.PublicKeys);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                await error.WriteLineAsync($"error: --public-key: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using (keys)
            {
                var archive = Directory.Exists(arguments.ArchiveDirectory) ? arguments.ArchiveDirectory : null;
                AuditVerificationReport report;
                try
                {
                    report = await new AuditVerifier(store, keys, archive)
                        .VerifyAsync(arguments.Nodes.Count > 0 ? arguments.Nodes : null, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    await error.WriteLineAsync($"error: the audit store cannot be read: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                return await PrintAsync(report, output).ConfigureAwait(false);
            }
        }
    }

    private static IAuditStore? OpenStore(VerifyArguments arguments, TextWriter error)
    {
        if (arguments.Store == "postgres")
        {
            if (string.IsNullOrWhiteSpace(arguments.PostgresConnectionString))
            {
                error.WriteLine("error: --postgres: the connection string is needed with --store postgres");
                return null;
            }

            if (!Exchange.Gateway.Storage.PostgresSchema.IsName(arguments.PostgresSchema))
            {
                error.WriteLine($"error: --postgres-schema: '{arguments.PostgresSchema}' is not a lower-case SQL identifier");
                return null;
            }

            try
            {
                return new PostgresAuditStore(arguments.PostgresConnectionString, arguments.PostgresSchema);
            }
            catch (ArgumentException e)
            {
                // Never the connection string itself: it may hold a password.
                error.WriteLine($"error: --postgres: not a valid connection string: {e.Message}");
                return null;
            }
        }

        // Opening a store that is not there would create an empty one, which verifies as nothing.
        if (!File.Exists(arguments.SqlitePath))
        {
            error.WriteLine($"error: --sqlite: no audit trail at {arguments.SqlitePath}");
            return null;
        }

        return new SqliteAuditStore(arguments.SqlitePath);
    }

    private static async Task<int> PrintAsync(AuditVerificationReport report, TextWriter output)
    {
        if (report.Chains.Count == 0)
        {
            await output.WriteLineAsync("no audit chain found in the store or the archives: nothing was verified").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        foreach (var chain in report.Chains)
        {
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"node {chain.Node}: {chain.Records} records, {chain.Checkpoints} checkpoints, signed through {chain.LastSignedSequence}, {chain.UnsignedRecords} unsigned, {chain.ArchiveFiles} archive files");
            await output.WriteLineAsync(line).ConfigureAwait(false);
            if (chain.Problem is { } problem)
            {
                await output.WriteLineAsync($"  FIRST BAD RECORD: {problem}").ConfigureAwait(false);
            }
        }

        if (!report.IsValid)
        {
            await output.WriteLineAsync("FAILED").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await output.WriteLineAsync("OK").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}

/// <summary>What <c>exchange audit verify</c> was asked.</summary>
/// <param name="Store">"sqlite" or "postgres".</param>
/// <param name="SqlitePath">The SQLite file.</param>
/// <param name="PostgresConnectionString">The PostgreSQL connection string.</param>
/// <param name="PostgresSchema">The PostgreSQL schema.</param>
/// <param name="PublicKeys">PEM public key files.</param>
/// <param name="ArchiveDirectory">The archive directory (ignored when missing).</param>
/// <param name="Nodes">Nodes to verify; empty for every chain.</param>
internal sealed record VerifyArguments(
    string Store, string SqlitePath, string? PostgresConnectionString, string PostgresSchema, IReadOnlyList<string> PublicKeys, string ArchiveDirectory, IReadOnlyList<string> Nodes);
