using System.Globalization;
using System.Text;

namespace Exchange.Benchmarks.Load;

/// <summary>The results as markdown: the table the issue asks for, how it was measured, and the checks.</summary>
internal sealed class LoadReport
{
    public const string BeginMarker = "<!-- load-benchmark:begin (written by `dotnet run -c Release --project tests/Exchange.Benchmarks -- load`; edits here are overwritten) -->";
    public const string EndMarker = "<!-- load-benchmark:end -->";

    public required LoadOptions Options { get; init; }

    public required IReadOnlyList<BenchmarkRow> Rows { get; init; }

    public double? Rate { get; init; }

    public required string RateSource { get; init; }

    public required string Machine { get; init; }

    public required IReadOnlyList<string> Tools { get; init; }

    public int RequestFrameBytes { get; init; }

    public int ResponseFrameBytes { get; init; }

    public long? SimulatorPeakRssKiB { get; init; }

    public long? HaProxyTlsPeakRssKiB { get; init; }

    public string? GatewayState { get; init; }

    public long? AuditRecords { get; init; }

    public long GatewayCalls { get; init; }

    public DateTimeOffset Started { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Replaces the marked section of <paramref name="path"/> (or appends it; or creates the file), keeping the rest.</summary>
    public static async Task WriteSectionAsync(string path, string section, CancellationToken cancellationToken)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : "# Performance\n";
        var begin = text.IndexOf("<!-- load-benchmark:begin", StringComparison.Ordinal);
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin >= 0 && end > begin)
        {
            text = string.Concat(text.AsSpan(0, begin), section.TrimEnd('\n'), text.AsSpan(end + EndMarker.Length));
        }
        else
        {
            text = text.TrimEnd('\n') + "\n\n" + section;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text.TrimEnd('\n') + "\n", cancellationToken).ConfigureAwait(false);
    }

    public string Render()
    {
        var md = new StringBuilder();
        void Line(FormattableString line) => md.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

        var direct = Row("direct");
        var yarp = Row("yarp");
        var directPeak = Peak(direct);
        var yarpPeak = Peak(yarp);
        var directP99 = direct is null ? null : BenchmarkRow.Median(direct.P99s);

        md.Append(BeginMarker).Append('\n');
        Line($"### {(Options.Smoke ? "Smoke run" : "Run")} of {Started:yyyy-MM-dd HH:mm} UTC");
        md.Append('\n');
        if (Options.Smoke)
        {
            Line($"**Smoke run**: a short run that only shows the harness works ({Options.Rounds} round of {N(Options.Requests)} requests, on a machine busy with other work). These are not measurements; the real run is `load --output docs/performance.md` on a quiet machine.");
            md.Append('\n');
        }

        Line($"Machine: {Machine}. Tools: {string.Join(", ", Tools.Where(t => t.Length > 0))}.");
        md.Append('\n');
        Line($"Load: `PreSettle` ({RequestFrameBytes}-byte request frame, {ResponseFrameBytes}-byte response frame), h2load `-c {Options.Connections} -m {Options.Streams} -t {Options.Threads}`, everything on 127.0.0.1. Throughput: a warm-up round of {N(Options.WarmupRequests)} requests per row, then {Options.Rounds} round(s) of {N(Options.Requests)} requests per row with the rows interleaved; median req/s. Latency: {Options.Rounds} round(s) of {N(Options.LatencyRequests)} requests per row at {(Rate is { } rate ? N(rate) + " req/s in total" : "—")} ({RateSource}); median of each round's p50 and p99, computed from h2load's per-request log. Took {Duration.TotalMinutes:0.0} min.");
        md.Append('\n');
        md.Append("| row | req/s | p50 | p99 | ratio to direct | ratio to YARP | p99 ÷ direct p99 | peak RSS |\n");
        md.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var row in Rows)
        {
            var peak = Peak(row);
            var p50 = BenchmarkRow.Median(row.P50s);
            var p99 = BenchmarkRow.Median(row.P99s);
            var slow = Rate is { } r && row.AchievedRates.Count > 0 && BenchmarkRow.Median(row.AchievedRates) < 0.9 * r ? " †" : "";
            Line($"| {row.Title}{(row.Failure is null ? "" : " **(failed)**")} | {Num(peak)} | {Ms(p50)} | {Ms(p99)}{slow} | {Ratio(peak, directPeak)} | {Ratio(peak, yarpPeak)} | {Ratio(p99, directP99)} | {Rss(row.PeakRssKiB)} |");
        }

        md.Append('\n');
        if (Rows.Any(r => Rate is { } rr && r.AchievedRates.Count > 0 && BenchmarkRow.Median(r.AchievedRates) < 0.9 * rr))
        {
            Line($"† the row could not sustain the latency runs' rate, so its latency includes queueing.");
            md.Append('\n');
        }

        Line($"Peak RSS is VmHWM of the process in the path, at the end of the run: the gateway (one process serves the h2c and the mTLS rows), the YARP app, HAProxy, nginx (master and workers summed). The simulator peaked at {Rss(SimulatorPeakRssKiB)}; the HAProxy doing the gateway mTLS row's TLS origination at {Rss(HaProxyTlsPeakRssKiB)}.");
        md.Append('\n');
        var checkedRequests = Rows.Sum(r => r.CheckedRequests);
        Line($"Checks: every run ({Rows.Sum(r => r.CheckedRuns)} runs, {N(checkedRequests)} calls) counted only if h2load saw every request answered HTTP 200 with the full {ResponseFrameBytes}-byte answer (an error travels as HTTP 200 with no message and grpc-status in the trailers), and the simulator's `GetStats` showed its PreSettle `received` and `succeeded` counts grow by exactly the run's requests with `faulted` and `failed` unchanged (no retries, no hedges). Before measuring, each row answered a real gRPC client (Grpc.Net.Client) with the simulator's exact answer.");
        if (GatewayState is not null)
        {
            md.Append('\n');
            Line($"Gateway state after the run (audit and idempotency stores): {GatewayState}.");
            md.Append('\n');
            Line($"Audit trail: {(AuditRecords is { } records ? $"`audit.db` holds {N(records)} records for the {N(GatewayCalls)} calls sent through the gateway{(records == GatewayCalls ? " — one durable record per call" : "")}" : "no SQLite audit trail (`audit.db`) in the gateway's state directory: this build of the gateway does not write one")}.");
        }

        var failures = Rows.Where(r => r.Failure is not null).ToList();
        if (failures.Count > 0)
        {
            md.Append('\n');
            foreach (var row in failures)
            {
                Line($"- **{row.Title} failed**: {row.Failure!.Split('\n')[0]}");
            }
        }

        var gateway = Row("gateway-h2c");
        if (gateway is not null && yarp is not null)
        {
            var gatewayPeak = Peak(gateway);
            var gatewayP99 = BenchmarkRow.Median(gateway.P99s);
            md.Append('\n');
            Line($"Goals of issue 6 in this run: gateway (h2c, fully on) throughput ≥ YARP: {Verdict(gatewayPeak, yarpPeak, (g, y) => g >= y, Ratio(gatewayPeak, yarpPeak) + "×")}; gateway p99 at half its peak rate within 2× of direct: {Verdict(gatewayP99, directP99, (g, d) => g <= 2 * d, Ratio(gatewayP99, directP99) + "×")}. The audit goal (≥ 20,000 durable records/s) is measured by the `AuditAppend` micro-benchmark.");
        }

        md.Append('\n');
        md.Append("<details><summary>Every round</summary>\n\n");
        md.Append("| row | req/s per round | p50 per round (ms) | p99 per round (ms) | achieved rate per round |\n|---|---|---|---|---|\n");
        foreach (var row in Rows)
        {
            Line($"| {row.Title} | {List(row.Throughputs, "#,0")} | {List(row.P50s, "0.00")} | {List(row.P99s, "0.00")} | {List(row.AchievedRates, "#,0")} |");
        }

        md.Append("\n</details>\n");
        md.Append(EndMarker).Append('\n');
        return md.ToString();
    }

    private static double? Peak(BenchmarkRow? row) => row is null ? null : BenchmarkRow.Median(row.Throughputs);

    private static string Verdict(double? a, double? b, Func<double, double, bool> goal, string ratio) =>
        a is { } x && b is { } y ? (goal(x, y) ? "**met**" : "**not met**") + $" ({ratio})" : "not measured";

    private static string N(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Num(double? value) => value is { } v ? N(v) : "—";

    private static string Ms(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) + " ms" : "—";

    private static string Ratio(double? value, double? reference) =>
        value is { } v && reference is { } r && r > 0 ? (v / r).ToString("0.00", CultureInfo.InvariantCulture) : "—";

    private static string Rss(long? kib) => kib is { } k ? (k / 1024.0).ToString("#,0", CultureInfo.InvariantCulture) + " MiB" : "—";

    private static string List(IEnumerable<double> values, string format)
    {
        var text = string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
        return text.Length == 0 ? "—" : text;
    }

    private BenchmarkRow? Row(string key) => Rows.FirstOrDefault(r => r.Key == key);
}
