namespace Exchange.Benchmarks.Load;

/// <summary>One row of the table: a path from h2load to the simulator, and what was measured through it.</summary>
internal sealed class BenchmarkRow(string key, string title, int port, ChildProcess? measured, IReadOnlyList<ChildProcess> path)
{
    /// <summary>The --rows name.</summary>
    public string Key { get; } = key;

    /// <summary>The row's name in the table.</summary>
    public string Title { get; } = title;

    /// <summary>Where h2load connects (h2c).</summary>
    public Uri Address { get; } = new($"http://127.0.0.1:{port}");

    /// <summary>The URL h2load calls.</summary>
    public Uri Url => new(Address, BenchmarkRequest.Path);

    /// <summary>The process whose peak RSS the row reports (the proxy in the path), or null (direct).</summary>
    public ChildProcess? Measured { get; } = measured;

    /// <summary>Every process the row's calls go through (checked before each run).</summary>
    public IReadOnlyList<ChildProcess> Path { get; } = path;

    /// <summary>req/s of each measured saturation round.</summary>
    public List<double> Throughputs { get; } = [];

    /// <summary>p50 of each latency round, ms.</summary>
    public List<double> P50s { get; } = [];

    /// <summary>p99 of each latency round, ms.</summary>
    public List<double> P99s { get; } = [];

    /// <summary>The rate each latency round achieved, req/s.</summary>
    public List<double> AchievedRates { get; } = [];

    /// <summary>Peak RSS of <see cref="Measured"/> (VmHWM, its descendants included), KiB.</summary>
    public long? PeakRssKiB { get; set; }

    /// <summary>Why the row stopped being measured, or null.</summary>
    public string? Failure { get; set; }

    /// <summary>Runs checked (h2load and the simulator agree that every call succeeded).</summary>
    public int CheckedRuns { get; set; }

    /// <summary>Requests in checked runs.</summary>
    public long CheckedRequests { get; set; }

    /// <summary>Every call sent through the row: the pre-flight call and every h2load request, checked or not.</summary>
    public long SentRequests { get; set; }

    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
