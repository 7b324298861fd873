using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Exchange.Benchmarks.Load;

/// <summary>What h2load reported for one run.</summary>
internal sealed record H2LoadResult(
    double RequestsPerSecond,
    TimeSpan Elapsed,
    long Total,
    long Done,
    long Succeeded,
    long Failed,
    long Errored,
    long TimedOut,
    long Status2xx,
    long DataBytes,
    string Output)
{
    /// <summary>Per-request durations from --log-file (successful requests), sorted; empty without a log file.</summary>
    public IReadOnlyList<double> LatenciesMs { get; init; } = [];

    /// <summary>The latency at quantile <paramref name="q"/> (0..1, nearest rank), in ms; NaN without latencies.</summary>
    public double PercentileMs(double q)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(q * LatenciesMs.Count);
        return LatenciesMs[Math.Clamp(rank - 1, 0, LatenciesMs.Count - 1)];
    }
}

/// <summary>Runs h2load (Debian nghttp2-client) and reads its summary and per-request log.</summary>
internal static partial class H2Load
{
    /// <summary>
    /// <c>h2load -n N -c C -m M -t T -d body -H 'content-type: application/grpc' -H 'te: trailers' [--rps R]
    /// [--log-file F] URL</c>, killed if it runs past <paramref name="limit"/>.
    /// </summary>
    public static async Task<H2LoadResult> RunAsync(
        string executable,
        Uri url,
        string bodyFile,
        int requests,
        LoadOptions options,
        double? ratePerClient,
        string? logFile,
        TimeSpan limit,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        List<string> arguments =
        [
            "-n", Invariant(requests), "-c", Invariant(options.Connections), "-m", Invariant(options.Streams), "-t", Invariant(options.Threads),
            "-d", bodyFile, "-H", "content-type: application/grpc", "-H", "te: trailers",
        ];
        if (ratePerClient is { } rps)
        {
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--rps={rps:0.###}"));
        }

        if (logFile is not null)
        {
            arguments.Add("--log-file=" + logFile);
        }

        arguments.Add(url.ToString());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BenchmarkException($"cannot start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new BenchmarkException($"h2load did not finish {requests} requests to {url} within {limit.TotalSeconds:0} s");
        }

        var output = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        if (process.ExitCode != 0)
        {
            throw new BenchmarkException($"h2load exited with code {process.ExitCode}:\n{output}");
        }

        var result = Parse(output);
        return logFile is null ? result : result with { LatenciesMs = ReadLatencies(logFile) };
    }

    /// <summary>Reads h2load's summary.</summary>
    public static H2LoadResult Parse(string output)
    {
        var finished = Finished().Match(output);
        var requests = Requests().Match(output);
        var status = Status().Match(output);
        var traffic = Traffic().Match(output);
        if (!finished.Success || !requests.Success || !status.Success || !traffic.Success)
        {
            throw new BenchmarkException($"cannot read h2load's output:\n{output}");
        }

        var elapsed = double.Parse(finished.Groups["t"].Value, CultureInfo.InvariantCulture) * finished.Groups["unit"].Value switch
        {
            "us" => 1e-6,
            "ms" => 1e-3,
            _ => 1.0,
        };
        return new H2LoadResult(
            double.Parse(finished.Groups["rps"].Value, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(elapsed),
            Long(requests, "total"),
            Long(requests, "done"),
            Long(requests, "succeeded"),
            Long(requests, "failed"),
            Long(requests, "errored"),
            Long(requests, "timeout"),
            Long(status, "ok"),
            Long(traffic, "data"),
            output);
    }

    /// <summary>Durations (third column, µs) of the requests logged with HTTP status 200, in ms, sorted.</summary>
    public static IReadOnlyList<double> ReadLatencies(string logFile)
    {
        var latencies = new List<double>();
        foreach (var line in File.ReadLines(logFile, Encoding.ASCII))
        {
            var fields = line.Split('\t');
            if (fields.Length >= 3 && fields[1] == "200"
                && double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var microseconds))
            {
                latencies.Add(microseconds / 1000.0);
            }
        }

        latencies.Sort();
        return latencies;
    }

    private static long Long(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"finished in (?<t>[\d.]+)(?<unit>us|ms|s), (?<rps>[\d.]+) req/s")]
    private static partial Regex Finished();

    [GeneratedRegex(@"requests: (?<total>\d+) total, (?<started>\d+) started, (?<done>\d+) done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored, (?<timeout>\d+) timeout")]
    private static partial Regex Requests();

    [GeneratedRegex(@"status codes: (?<ok>\d+) 2xx")]
    private static partial Regex Status();

    [GeneratedRegex(@"traffic: .*?\((?<total>\d+)\) total, .*?\((?<headers>\d+)\) headers.*?, .*?\((?<data>\d+)\) data")]
    private static partial Regex Traffic();
}
