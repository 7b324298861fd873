using System.Diagnostics;
using System.Globalization;
using Exchange.Gateway.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exchange.Benchmarks.AuditCost;

/// <summary>
/// What one durable audit record costs the gateway's process: an <see cref="AuditTrail"/> on a real store, fed by
/// <c>--in-flight</c> concurrent appenders (as many exchanges waiting for their records), measured as the process's
/// CPU time per record, records per second, the mean group-commit batch and the bytes the process handed to write
/// calls per record (<c>wchar</c> of /proc/self/io: WAL frames and checkpoints). The load benchmark shows what the
/// audit costs among everything else; this shows how that cost splits between what every commit pays and what every
/// record pays, by running the same appends at several levels of concurrency (docs/performance.md, "Fourth round").
/// </summary>
internal static class AuditCostBenchmark
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/Exchange.Benchmarks -- audit-cost [options]

        Appends audit records to a store through the gateway's audit trail and prints, for each level of concurrency,
        CPU µs per record, records/s, mean records per commit and bytes written per record.

          --in-flight LIST     concurrent appenders, comma-separated (default 8,64,512)
          --records N          records per measured round (default 200000)
          --rounds N           measured rounds per level, after one warm-up round of N/4 (default 3)
          --people N           distinct persons the records name (default 1, as the load benchmark's request;
                               50000 writes the subject index at random places, as real traffic does)
          --postgres CONN      a PostgreSQL store (Npgsql connection string; schema exchange_bench_audit, each level
                               writing a chain of its own) instead of a SQLite file in a temporary directory
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\n\n{Usage}").ConfigureAwait(false);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var entries = new AuditBenchmarkEntries(options.People);
        Console.WriteLine($"audit-cost: {(options.Postgres is null ? "SQLite file" : "PostgreSQL")}, {options.People} people, {options.Records} records per round, {Environment.ProcessorCount} cores");
        Console.WriteLine("in flight | round | CPU µs/record | records/s | records/commit | bytes written/record");
        foreach (var inFlight in options.InFlight)
        {
            if (!await MeasureAsync(options, entries, inFlight).ConfigureAwait(false))
            {
                return 1;
            }
        }

        return 0;
    }

    /// <summary>Measures one level of concurrency; false (and why, on standard error) when the store cannot be written.</summary>
    private static async Task<bool> MeasureAsync(Options options, AuditBenchmarkEntries entries, int inFlight)
    {
        var directory = Directory.CreateTempSubdirectory("exchange-audit-cost-").FullName;
        IAuditStore store = options.Postgres is { } connection
            ? new PostgresAuditStore(connection, "exchange_bench_audit")
            : new SqliteAuditStore(Path.Combine(directory, "audit.db"));
        using var signer = AuditCheckpointSigner.CreateEphemeral();
        // A node of its own per level, so a PostgreSQL store left from an earlier level or run does not matter.
        var node = $"bench-{Guid.NewGuid():N}"[..20];
        var trail = new AuditTrail(store, signer, AuditBenchmarkEntries.Options(node), TimeProvider.System, NullLogger<AuditTrail>.Instance);
        try
        {
            await trail.StartAsync(CancellationToken.None).ConfigureAwait(false);
            if (trail.Health.Current is { Status: not AuditHealthStatus.Healthy } health)
            {
                await Console.Error.WriteLineAsync($"error: the audit store cannot be written: {health.Reason}").ConfigureAwait(false);
                return false;
            }

            await AppendAsync(trail, entries, options.Records / 4, inFlight).ConfigureAwait(false);
            using var process = Process.GetCurrentProcess();
            for (var round = 1; round <= options.Rounds; round++)
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var written = BytesWritten();
                var (flushes, records) = (trail.Flushes, trail.RecordsWritten);
                var clock = Stopwatch.StartNew();
                await AppendAsync(trail, entries, options.Records, inFlight).ConfigureAwait(false);
                var elapsed = clock.Elapsed;
                process.Refresh();
                var count = trail.RecordsWritten - records;
                var perRecordCpu = (process.TotalProcessorTime - cpu).TotalMicroseconds / count;
                var perRecordBytes = written is { } before && BytesWritten() is { } after ? ((after - before) / count).ToString("N0", CultureInfo.InvariantCulture) : "n/a";
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{inFlight,9} | {round,5} | {perRecordCpu,13:F1} | {count / elapsed.TotalSeconds,9:N0} | {(double)count / (trail.Flushes - flushes),14:F1} | {perRecordBytes,20}"));
            }

            return true;
        }
        finally
        {
            await trail.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary><paramref name="records"/> appends, <paramref name="inFlight"/> at a time, each waiting for its record.</summary>
    private static Task AppendAsync(AuditTrail trail, AuditBenchmarkEntries entries, int records, int inFlight)
    {
        var remaining = records;
        return Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await trail.AppendAsync(entries.Next()).ConfigureAwait(false);
            }
        })));
    }

    /// <summary>Bytes this process has passed to write calls so far (Linux' /proc/self/io), or null where there is none.</summary>
    private static long? BytesWritten()
    {
        const string Path = "/proc/self/io";
        if (!File.Exists(Path))
        {
            return null;
        }

        var line = File.ReadLines(Path).FirstOrDefault(l => l.StartsWith("wchar:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.AsSpan("wchar:".Length).Trim(), CultureInfo.InvariantCulture);
    }

    private sealed record Options(IReadOnlyList<int> InFlight, int Records, int Rounds, int People, string? Postgres, bool Help)
    {
        public static Options Parse(string[] args)
        {
            var options = new Options([8, 64, 512], 200_000, 3, 1, null, false);
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
                options = args[i] switch
                {
                    "--in-flight" => options with { InFlight = [.. Value().Split(',').Select(v => Positive("--in-flight", v))] },
                    "--records" => options with { Records = Positive("--records", Value()) },
                    "--rounds" => options with { Rounds = Positive("--rounds", Value()) },
                    "--people" => options with { People = Positive("--people", Value()) },
                    "--postgres" => options with { Postgres = Value() is { Length: > 0 } connection ? connection : throw new FormatException("--postgres takes a connection string") },
                    "-h" or "--help" => options with { Help = true },
                    var other => throw new FormatException($"unknown option {other}"),
                };
            }

            return options;
        }

        private static int Positive(string option, string value) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : throw new FormatException($"{option} takes a positive whole number, not '{value}'");
    }
}
