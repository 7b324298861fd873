using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Exchange.Contracts.Medical.V1;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace Exchange.Benchmarks.Load;

/// <summary>
/// The load benchmark: starts a simulated Shanghai region, the gateway and the peers as separate processes on
/// 127.0.0.1, measures every row with h2load (a warm-up round, then rounds with the rows interleaved, medians), checks
/// that every call succeeded, and writes the table. Every process it started is stopped at the end, also on failure
/// or Ctrl+C.
/// </summary>
internal sealed class LoadBenchmark : IAsyncDisposable
{
    private const string Participant = "county-hospital";

    private readonly LoadOptions _options;
    private readonly List<ChildProcess> _processes = [];
    private readonly List<BenchmarkRow> _rows = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private BenchEnvironment? _environment;
    private GrpcProbe? _probe;
    private string? _temp;
    private string? _body;
    private int _responseFrameBytes;
    private bool _failed;

    private LoadBenchmark(LoadOptions options) => _options = options;

    public static async Task<int> RunAsync(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\n\n{LoadOptions.Usage}").ConfigureAwait(false);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(LoadOptions.Usage);
            return 0;
        }

        if (IsDebugBuild)
        {
            await Console.Error.WriteLineAsync("error: run the benchmark from a Release build: dotnet run -c Release --project tests/Exchange.Benchmarks -- load").ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        var benchmark = new LoadBenchmark(options);
        try
        {
            return await benchmark.ExecuteAsync(stop.Token).ConfigureAwait(false);
        }
        catch (BenchmarkException e)
        {
            benchmark._failed = true;
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            benchmark._failed = true;
            await Console.Error.WriteLineAsync("interrupted: stopping every process the benchmark started").ConfigureAwait(false);
            return 130;
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            benchmark._failed = true;
            await Console.Error.WriteLineAsync($"error: {e}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            await benchmark.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops every process started, newest first, and removes the temporary directory unless kept or the run failed.</summary>
    public async ValueTask DisposeAsync()
    {
        _probe?.Dispose();
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync().ConfigureAwait(false);
        }

        _processes.Clear();
        if (_temp is not null)
        {
            if (_options.KeepTemp || _failed)
            {
                Console.WriteLine($"kept {_temp} (configurations, process logs, h2load output)");
            }
            else
            {
                try
                {
                    Directory.Delete(_temp, recursive: true);
                }
                catch (IOException e)
                {
                    await Console.Error.WriteLineAsync($"warning: could not remove {_temp}: {e.Message}").ConfigureAwait(false);
                }
            }
        }
    }

    private static bool IsDebugBuild =>
#if DEBUG
        true;
#else
        false;
#endif

    private static string N(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var environment = _environment = BenchEnvironment.Find(_options);
        _temp = Directory.CreateTempSubdirectory("exchange-bench-").FullName;
        Log($"load benchmark: rows {string.Join(", ", _options.Rows)}; {_options.Rounds} round(s) of {N(_options.Requests)} requests after a warm-up of {N(_options.WarmupRequests)}; temporary directory {_temp}");

        var ports = BenchEnvironment.FreePorts(8);
        var (simulatorPort, gatewayTlsPort, gatewayH2cPort, mtlsFrontPort, yarpPort, haproxyPort, nginxPort) =
            (ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6]);
        var simulatorAddress = new Uri($"http://127.0.0.1:{simulatorPort}");

        var request = BenchmarkRequest.Create(DateTimeOffset.UtcNow);
        _body = Path.Combine(_temp, "req.bin");
        await File.WriteAllBytesAsync(_body, BenchmarkRequest.Frame(request), cancellationToken).ConfigureAwait(false);

        // The simulated Shanghai region: the backend of every row.
        var simulator = Start("simulator", environment.Simulator,
            ["--region", BenchmarkRequest.Region, "--port", Invariant(simulatorPort), "--seed", Invariant(BenchmarkRequest.Seed)]);
        _probe = new GrpcProbe(simulatorAddress);
        await _probe.WaitForSimulatorAsync(simulator, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        var expected = await GrpcProbe.PreSettleAsync("direct", simulatorAddress, request, TimeSpan.FromSeconds(10), simulator, cancellationToken).ConfigureAwait(false);
        _responseFrameBytes = 5 + expected.Length;
        Log($"simulator {BenchmarkRequest.Region} on {simulatorAddress} (pid {simulator.Id}); request frame {new FileInfo(_body).Length} bytes, response frame {_responseFrameBytes} bytes");
        AddRow("direct", "direct (simulator, h2c)", simulatorPort, null, [simulator]);

        ChildProcess? gateway = null;
        string? gatewayState = null;
        if (_options.Rows.Contains("gateway-h2c") || _options.Rows.Contains("gateway-mtls"))
        {
            gatewayState = Path.Combine(_temp, "gateway-state");
            gateway = await StartGatewayAsync(gatewayState, gatewayTlsPort, gatewayH2cPort, simulatorAddress, cancellationToken).ConfigureAwait(false);
            await CheckRowAsync("gateway-h2c", new Uri($"http://127.0.0.1:{gatewayH2cPort}"), request, expected, gateway, cancellationToken).ConfigureAwait(false);
            AddRow("gateway-h2c", "gateway h2c (fully on)", gatewayH2cPort, gateway, [simulator, gateway]);
        }

        if (_options.Rows.Contains("gateway-mtls"))
        {
            var pki = Path.Combine(gatewayState!, "pki");
            var clientPem = Path.Combine(_temp, $"{Participant}.pem");
            await File.WriteAllTextAsync(
                clientPem,
                await ReadPkiAsync(pki, $"participants/{Participant}.crt", cancellationToken).ConfigureAwait(false)
                + await ReadPkiAsync(pki, $"participants/{Participant}.key", cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(clientPem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var config = await WriteConfigAsync("haproxy-mtls.cfg",
                PeerConfigs.HaProxyTlsOrigination(mtlsFrontPort, gatewayTlsPort, clientPem, Path.Combine(pki, "ca.crt")), cancellationToken).ConfigureAwait(false);
            var tls = Start("haproxy (TLS origination to the gateway)", environment.HaProxy!, ["-f", config, "-db"]);
            await tls.WaitForPortAsync(mtlsFrontPort, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            await CheckRowAsync("gateway-mtls", new Uri($"http://127.0.0.1:{mtlsFrontPort}"), request, expected, tls, cancellationToken).ConfigureAwait(false);
            AddRow("gateway-mtls", "gateway mTLS (fully on; incl. HAProxy's TLS origination)", mtlsFrontPort, gateway, [simulator, gateway!, tls]);
        }

        if (_options.Rows.Contains("yarp"))
        {
            var self = Environment.ProcessPath ?? throw new BenchmarkException("cannot tell which program is running");
            List<string> arguments = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(LoadBenchmark).Assembly.Location] : [];
            arguments.AddRange(["yarp", "--port", Invariant(yarpPort), "--destination", simulatorAddress.ToString()]);
            var yarp = Start("YARP passthrough", self, arguments);
            await yarp.WaitForPortAsync(yarpPort, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            await CheckRowAsync("yarp", new Uri($"http://127.0.0.1:{yarpPort}"), request, expected, yarp, cancellationToken).ConfigureAwait(false);
            AddRow("yarp", "YARP passthrough", yarpPort, yarp, [simulator, yarp]);
        }

        if (_options.Rows.Contains("haproxy"))
        {
            var config = await WriteConfigAsync("haproxy.cfg", PeerConfigs.HaProxyPassthrough(haproxyPort, simulatorPort), cancellationToken).ConfigureAwait(false);
            var haproxy = Start("HAProxy", environment.HaProxy!, ["-f", config, "-db"]);
            await haproxy.WaitForPortAsync(haproxyPort, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            await CheckRowAsync("haproxy", new Uri($"http://127.0.0.1:{haproxyPort}"), request, expected, haproxy, cancellationToken).ConfigureAwait(false);
            AddRow("haproxy", "HAProxy (proto h2)", haproxyPort, haproxy, [simulator, haproxy]);
        }

        if (_options.Rows.Contains("nginx"))
        {
            var directory = Path.Combine(_temp, "nginx");
            Directory.CreateDirectory(directory);
            var config = await WriteConfigAsync("nginx/nginx.conf",
                PeerConfigs.Nginx(directory, nginxPort, simulatorPort, Environment.UserName == "root"), cancellationToken).ConfigureAwait(false);
            var nginx = Start("nginx", environment.Nginx!, ["-p", directory + "/", "-c", config, "-e", Path.Combine(directory, "error.log"), "-g", "daemon off;"]);
            await nginx.WaitForPortAsync(nginxPort, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            await CheckRowAsync("nginx", new Uri($"http://127.0.0.1:{nginxPort}"), request, expected, nginx, cancellationToken).ConfigureAwait(false);
            AddRow("nginx", "nginx grpc_pass", nginxPort, nginx, [simulator, nginx]);
        }

        _rows.RemoveAll(r => !_options.Rows.Contains(r.Key));
        Log($"every row answered a real gRPC client with the simulator's answer ({_clock.Elapsed.TotalSeconds:0} s)");

        // Saturation: a warm-up round (tiered JIT, connection pools), then the measured rounds, rows interleaved.
        if (_options.WarmupRequests > 0)
        {
            foreach (var row in _rows)
            {
                await MeasureAsync(row, _options.WarmupRequests, null, "warm-up", cancellationToken).ConfigureAwait(false);
            }
        }

        for (var round = 1; round <= _options.Rounds; round++)
        {
            foreach (var row in _rows)
            {
                if (await MeasureAsync(row, _options.Requests, null, $"round {round}/{_options.Rounds}", cancellationToken).ConfigureAwait(false) is { } result)
                {
                    row.Throughputs.Add(result.RequestsPerSecond);
                }
            }
        }

        // Latency at a fixed moderate rate: half of the gateway's peak unless --rate says otherwise.
        var (rate, rateSource) = ChooseRate();
        if (rate is { } total)
        {
            var perClient = total / _options.Connections;
            Log($"latency runs at {N(total)} req/s in total ({rateSource}): h2load --rps={perClient:0.###} per connection");
            for (var round = 1; round <= _options.Rounds; round++)
            {
                foreach (var row in _rows)
                {
                    var logFile = Path.Combine(_temp, $"latency-{row.Key}-{round}.tsv");
                    if (await MeasureAsync(row, _options.LatencyRequests, perClient, $"latency {round}/{_options.Rounds}", cancellationToken, logFile).ConfigureAwait(false) is { } result)
                    {
                        row.P50s.Add(result.PercentileMs(0.50));
                        row.P99s.Add(result.PercentileMs(0.99));
                        row.AchievedRates.Add(result.RequestsPerSecond);
                        File.Delete(logFile);
                    }
                }
            }
        }

        foreach (var row in _rows)
        {
            row.PeakRssKiB = row.Measured?.PeakRssKiB();
        }

        var report = new LoadReport
        {
            Options = _options,
            Rows = _rows,
            Rate = rate,
            RateSource = rateSource,
            Machine = BenchEnvironment.Machine(),
            Tools = BenchEnvironment.ToolVersions(environment),
            RequestFrameBytes = (int)new FileInfo(_body).Length,
            ResponseFrameBytes = _responseFrameBytes,
            SimulatorPeakRssKiB = simulator.PeakRssKiB(),
            HaProxyTlsPeakRssKiB = _rows.FirstOrDefault(r => r.Key == "gateway-mtls")?.Path[^1].PeakRssKiB(),
            GatewayState = gatewayState is null ? null : DescribeState(gatewayState),
            AuditRecords = gatewayState is null ? null : AuditRecordCount(gatewayState),
            GatewayCalls = _rows.Where(r => r.Key.StartsWith("gateway", StringComparison.Ordinal)).Sum(r => r.SentRequests),
            Duration = _clock.Elapsed,
            Started = DateTimeOffset.UtcNow - _clock.Elapsed,
        };
        var markdown = report.Render();
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (_options.Output is { } output)
        {
            // Relative to the repository root: `dotnet run` starts a Web SDK program in its project directory.
            var path = Path.GetFullPath(output, environment.Repository);
            await LoadReport.WriteSectionAsync(path, markdown, cancellationToken).ConfigureAwait(false);
            Log($"results written into {path}");
        }

        Log($"done in {_clock.Elapsed.TotalMinutes:0.0} min");
        _failed = _rows.Any(r => r.Failure is not null);
        return _failed ? 1 : 0;
    }

    private async Task<ChildProcess> StartGatewayAsync(string state, int tlsPort, int h2cPort, Uri simulator, CancellationToken cancellationToken)
    {
        var environment = _environment!;
        Directory.CreateDirectory(state);
        var regions = GatewayRegions(environment.GatewayDirectory);
        List<KeyValuePair<string, string?>> variables =
        [
            new("Exchange__Sandbox__Enabled", "true"),
            new("Exchange__Sandbox__StateDirectory", state),
            new("Exchange__Listen__Address", "127.0.0.1"),
            new("Exchange__Listen__Port", Invariant(tlsPort)),
            new("Exchange__Listen__PlaintextPort", Invariant(h2cPort)),
            new("Exchange__Listen__PlaintextParticipant", Participant),
            // Raised so that they never throttle the benchmark; still evaluated on every call.
            new("Exchange__Resilience__RateLimit__Participants__0__Participant", Participant),
            new("Exchange__Resilience__RateLimit__Participants__0__TokenLimit", "100000000"),
            new("Exchange__Resilience__RateLimit__Participants__0__TokensPerPeriod", "100000000"),
            new("Exchange__Resilience__Bulkhead__PermitLimit", "100000"),
            new("Exchange__Resilience__Bulkhead__QueueLimit", "100000"),
            new("Logging__LogLevel__Default", "Warning"),
        ];

        // Every route goes to the stand-alone simulator, so the sandbox starts no in-process regions (they would count
        // in the gateway's RSS); only 310000 is called. The sandbox still makes the development PKI.
        for (var i = 0; i < regions.Count; i++)
        {
            variables.Add(new($"Exchange__Regions__{i}__Endpoints__0", simulator.ToString()));
        }

        variables.AddRange(_options.GatewayEnvironment.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
        var gateway = Start("gateway", environment.Gateway, [], variables);
        await gateway.WaitForPortAsync(h2cPort, TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
        Log($"gateway (pid {gateway.Id}): h2c on 127.0.0.1:{h2cPort} as {Participant}, mTLS on 127.0.0.1:{tlsPort}; routes {string.Join(", ", regions)} -> {simulator}");
        return gateway;
    }

    private static List<string> GatewayRegions(string gatewayDirectory)
    {
        var settings = Path.Combine(gatewayDirectory, "appsettings.json");
        using var document = JsonDocument.Parse(File.ReadAllText(settings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("Exchange", out var exchange) || !exchange.TryGetProperty("Regions", out var regions))
        {
            throw new BenchmarkException($"{settings} has no Exchange:Regions");
        }

        var codes = regions.EnumerateArray().Select(r => r.GetProperty("Code").GetString() ?? "").ToList();
        return codes.Contains(BenchmarkRequest.Region)
            ? codes
            : throw new BenchmarkException($"{settings} has no route for {BenchmarkRequest.Region}");
    }

    private static async Task<string> ReadPkiAsync(string pki, string file, CancellationToken cancellationToken)
    {
        var path = Path.Combine(pki, file);
        return File.Exists(path)
            ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)
            : throw new BenchmarkException($"the gateway's development PKI has no {path}");
    }

    /// <summary>Records in the gateway's SQLite audit trail (audit.db), or null when there is none or it cannot be read.</summary>
    private static long? AuditRecordCount(string state)
    {
        var path = Path.Combine(state, "audit.db");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM audit_records";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    private static string DescribeState(string state)
    {
        if (!Directory.Exists(state))
        {
            return "none";
        }

        // The stores the gateway keeps beside its development PKI (pki/ holds only certificates and keys).
        var pki = Path.Combine(state, "pki") + Path.DirectorySeparatorChar;
        var stores = Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(pki, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(state, f)} ({Size(new FileInfo(f).Length)})")
            .ToList();
        return stores.Count == 0 ? "no store files" : string.Join(", ", stores);
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MiB"),
    };

    private (double? Rate, string Source) ChooseRate()
    {
        if (_options.Rate is { } given)
        {
            return (given, "--rate");
        }

        foreach (var key in new[] { "gateway-h2c", "gateway-mtls", "direct" })
        {
            if (_rows.FirstOrDefault(r => r.Key == key) is { Failure: null } row && BenchmarkRow.Median(row.Throughputs) is { } peak)
            {
                return (Math.Max(1, Math.Round(peak / 2)), $"half of the {row.Title} peak, {N(peak)} req/s");
            }
        }

        return (null, "no peak measured");
    }

    private static async Task CheckRowAsync(string key, Uri address, PreSettleRequest request, byte[] expected, ChildProcess process, CancellationToken cancellationToken)
    {
        var answer = await GrpcProbe.PreSettleAsync(key, address, request, TimeSpan.FromSeconds(60), process, cancellationToken).ConfigureAwait(false);
        if (!answer.AsSpan().SequenceEqual(expected))
        {
            throw new BenchmarkException($"{key}: the answer through {address} differs from the simulator's ({answer.Length} bytes, expected {expected.Length})");
        }
    }

    private async Task<H2LoadResult?> MeasureAsync(BenchmarkRow row, int requests, double? ratePerClient, string phase, CancellationToken cancellationToken, string? logFile = null)
    {
        if (row.Failure is not null)
        {
            return null;
        }

        try
        {
            foreach (var process in row.Path)
            {
                process.EnsureRunning();
            }

            var limit = ratePerClient is { } rps
                ? TimeSpan.FromSeconds(120 + (3.0 * requests / (rps * _options.Connections)))
                : TimeSpan.FromSeconds(120 + (requests / 1000.0));
            var before = await _probe!.PreSettleStatsAsync(cancellationToken).ConfigureAwait(false);
            row.SentRequests += requests;
            var result = await H2Load.RunAsync(_environment!.H2Load, row.Url, _body!, requests, _options, ratePerClient, logFile, limit, cancellationToken).ConfigureAwait(false);
            var after = await _probe.PreSettleStatsAsync(cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(_temp!, $"h2load-{row.Key}-{phase.Replace('/', '-').Replace(' ', '-')}.txt"), result.Output, cancellationToken).ConfigureAwait(false);

            var problems = new List<string>();
            if (result.Done != requests || result.Succeeded != requests || result.Status2xx != requests)
            {
                problems.Add($"h2load: {result.Succeeded} of {requests} succeeded ({result.Status2xx} HTTP 2xx, {result.Failed} failed, {result.Errored} errored, {result.TimedOut} timed out)");
            }

            if (result.DataBytes != (long)requests * _responseFrameBytes)
            {
                problems.Add($"h2load received {result.DataBytes} response bytes, not {requests} × {_responseFrameBytes} (some calls ended without the answer: an error in the trailers)");
            }

            var (received, succeeded, faulted, failed) =
                (after.Received - before.Received, after.Succeeded - before.Succeeded, after.Faulted - before.Faulted, after.Failed - before.Failed);
            if (received != requests || succeeded != requests || faulted != 0 || failed != 0)
            {
                problems.Add($"simulator PreSettle: received +{received}, succeeded +{succeeded}, faulted +{faulted}, failed +{failed}; expected +{requests}, +{requests}, +0, +0");
            }

            if (logFile is not null && result.LatenciesMs.Count != requests)
            {
                problems.Add($"h2load's log has {result.LatenciesMs.Count} successful requests, not {requests}");
            }

            if (problems.Count > 0)
            {
                throw new BenchmarkException("the calls did not all succeed: " + string.Join("; ", problems));
            }

            row.CheckedRuns++;
            row.CheckedRequests += requests;
            var latency = logFile is null ? "" : string.Create(CultureInfo.InvariantCulture, $", p50 {result.PercentileMs(0.5):0.00} ms, p99 {result.PercentileMs(0.99):0.00} ms");
            Log($"{phase,-13} {row.Key,-13} {N(result.RequestsPerSecond),9} req/s{latency}  ({N(requests)} calls, all OK)");
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (e is BenchmarkException or RpcException && !cancellationToken.IsCancellationRequested)
        {
            var reason = e is RpcException rpc ? $"the simulator's GetStats failed: {rpc.Status}" : e.Message;
            row.Failure = $"{phase}: {reason}";
            Log($"{phase,-13} {row.Key,-13} FAILED: {reason}");
            return null;
        }
    }

    private void AddRow(string key, string title, int port, ChildProcess? measured, IReadOnlyList<ChildProcess> path) =>
        _rows.Add(new BenchmarkRow(key, title, port, measured, path) { SentRequests = 1 });

    private ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var log = Path.Combine(_temp!, string.Concat(name.Split(' ')[0].Where(char.IsAsciiLetterOrDigit)) + $"-{_processes.Count}.log");
        var process = ChildProcess.Start(name, fileName, arguments, _temp!, log, environment);
        _processes.Add(process);
        return process;
    }

    private async Task<string> WriteConfigAsync(string name, string text, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_temp!, name);
        await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        return path;
    }

    private void Log(string message) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed:hh\\:mm\\:ss}] {message}"));

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
