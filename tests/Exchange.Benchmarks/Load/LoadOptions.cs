using System.Globalization;

namespace Exchange.Benchmarks.Load;

/// <summary>The load benchmark's command line.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/Exchange.Benchmarks -- load [options]

        Measures unary PreSettle calls with h2load, on 127.0.0.1, through each row: direct to a simulated Shanghai
        region, the gateway over h2c and over mTLS (via HAProxy's TLS origination), a YARP passthrough, HAProxy and
        nginx grpc_pass. Needs the Release builds of src/Exchange.Gateway and src/Exchange.PartnerSim (`dotnet run
        -c Release` builds them) and the Debian packages nghttp2-client (h2load), haproxy and nginx.

          --rounds N             measured rounds after the warm-up round (default 5); medians are reported
          --requests N           requests per saturation run (default 200000)
          --warmup-requests N    requests per row in the warm-up round (default: --requests)
          --latency-requests N   requests per fixed-rate latency run (default: --requests / 4)
          --rate R               total request rate of the latency runs, req/s (default: half of the gateway's
                                 measured h2c peak)
          --connections N        h2load -c (default 8)
          --streams N            h2load -m, concurrent streams per connection (default 32)
          --threads N            h2load -t (default 1)
          --rows LIST            rows to run, comma-separated (default all):
                                 direct,gateway-h2c,gateway-mtls,yarp,haproxy,nginx
          --output PATH          write the results into PATH (e.g. docs/performance.md; relative to the
                                 repository root), replacing the marked section and keeping the rest of the file
          --smoke                a short run to check the harness (1 round, 5000 requests); the table says so
          --gateway-env K=V      an extra environment variable for the gateway process (repeatable)
          --keep-temp            keep the temporary directory (configs, logs, h2load output)
        """;

    public static readonly string[] AllRows = ["direct", "gateway-h2c", "gateway-mtls", "yarp", "haproxy", "nginx"];

    public int Rounds { get; init; } = 5;

    public int Requests { get; init; } = 200_000;

    public int WarmupRequests { get; init; } = 200_000;

    public int LatencyRequests { get; init; } = 50_000;

    public double? Rate { get; init; }

    public int Connections { get; init; } = 8;

    public int Streams { get; init; } = 32;

    public int Threads { get; init; } = 1;

    public IReadOnlyList<string> Rows { get; init; } = AllRows;

    public string? Output { get; init; }

    public bool Smoke { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> GatewayEnvironment { get; init; } = [];

    public bool KeepTemp { get; init; }

    public bool Help { get; init; }

    /// <summary>Parses the arguments after "load"; FormatException names the bad one.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var environment = new List<KeyValuePair<string, string>>();
        bool smoke = false, keep = false, help = false;
        string[] valued = ["--rounds", "--requests", "--warmup-requests", "--latency-requests", "--rate", "--connections", "--streams", "--threads", "--rows", "--output"];
        for (var i = 0; i < args.Count; i++)
        {
            var key = args[i];
            switch (key)
            {
                case "--smoke":
                    smoke = true;
                    continue;
                case "--keep-temp":
                    keep = true;
                    continue;
                case "-h" or "--help":
                    help = true;
                    continue;
            }

            if (!valued.Contains(key) && key != "--gateway-env")
            {
                throw new FormatException($"unknown option '{key}'");
            }

            if (i + 1 >= args.Count)
            {
                throw new FormatException($"{key} needs a value");
            }

            var value = args[++i];
            if (key == "--gateway-env")
            {
                var parts = value.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0)
                {
                    throw new FormatException($"--gateway-env: '{value}' is not KEY=VALUE");
                }

                environment.Add(new(parts[0], parts[1]));
                continue;
            }

            values[key] = value;
        }

        var requests = Int(values, "--requests", smoke ? 5_000 : 200_000, 100);
        var rows = values.TryGetValue("--rows", out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : AllRows;
        foreach (var row in rows.Where(r => !AllRows.Contains(r)))
        {
            throw new FormatException($"--rows: unknown row '{row}' (rows: {string.Join(',', AllRows)})");
        }

        var options = new LoadOptions
        {
            Rounds = Int(values, "--rounds", smoke ? 1 : 5, 1),
            Requests = requests,
            WarmupRequests = Int(values, "--warmup-requests", smoke ? Math.Min(requests, 2_000) : requests, 0),
            LatencyRequests = Int(values, "--latency-requests", Math.Max(100, requests / 4), 100),
            Rate = values.TryGetValue("--rate", out var rate) ? Positive(rate, "--rate") : null,
            Connections = Int(values, "--connections", 8, 1),
            Streams = Int(values, "--streams", 32, 1),
            Threads = Int(values, "--threads", 1, 1),
            Rows = [.. AllRows.Where(rows.Contains)],
            Output = values.GetValueOrDefault("--output"),
            Smoke = smoke,
            GatewayEnvironment = environment,
            KeepTemp = keep,
            Help = help,
        };
        if (options.Threads > options.Connections)
        {
            throw new FormatException("--threads must not exceed --connections");
        }

        return options;
    }

    private static int Int(Dictionary<string, string> values, string key, int fallback, int minimum)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimum
            ? n
            : throw new FormatException($"{key}: '{text}' is not an integer of at least {minimum}");
    }

    private static double Positive(string text, string key) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d)
            ? d
            : throw new FormatException($"{key}: '{text}' is not a positive number");
}
