using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Exchange.Gateway.Tests.Audit.Integration;

/// <summary>
/// The real gateway as a separate process: <c>dotnet exec</c> of the built src/Exchange.Gateway dll with its shipped
/// appsettings.json (the sandbox), a state directory of the test's own and port 0, overridden through
/// <c>Exchange__*</c> environment variables. It can be killed as <c>kill -9</c> would (no shutdown code runs).
/// </summary>
internal sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private GatewayProcess(Process process, ConcurrentQueue<string> output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
        Id = process.Id;
    }

    /// <summary>Where the gateway listens (https, mTLS).</summary>
    public Uri Address { get; }

    /// <summary>The process id.</summary>
    public int Id { get; }

    /// <summary>What the process wrote so far (standard output and error), for a failure message.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The built gateway: src/Exchange.Gateway/bin/{configuration of this test build}/net10.0/Exchange.Gateway.dll.</summary>
    public static string BuiltGateway()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var root = framework;
        while (!File.Exists(Path.Combine(root.FullName, "Exchange.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("Exchange.sln not found above the test output directory");
        }

        var dll = Path.Combine(root.FullName, "src", "Exchange.Gateway", "bin", configuration, framework.Name, "Exchange.Gateway.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("the gateway is not built", dll);
    }

    /// <summary>Starts the gateway with <paramref name="stateDirectory"/> and waits until it listens.</summary>
    public static async Task<GatewayProcess> StartAsync(string stateDirectory, TimeSpan timeout)
    {
        var dll = BuiltGateway();
        var start = new ProcessStartInfo(DotnetHost())
        {
            ArgumentList = { "exec", dll },
            WorkingDirectory = stateDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Exchange__Sandbox__StateDirectory"] = stateDirectory;
        start.Environment["Exchange__Listen__Port"] = "0";
        // The load client is one participant sending as fast as it can: the per-participant rate limit would refuse it.
        start.Environment["Exchange__Resilience__RateLimit__Enabled"] = "false";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");

        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Receive(e.Data);
        process.ErrorDataReceived += (_, e) => Receive(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the gateway exited before it listened:\n" + string.Join('\n', output)));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(timeout);
            return new GatewayProcess(process, output, address);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }

        void Receive(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (Banner().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["address"].Value));
            }
        }
    }

    /// <summary>Kills the process at once, as <c>kill -9</c>: no shutdown, no final checkpoint, no flush.</summary>
    public async Task KillAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            // SIGKILL on Unix (Process.Kill does not signal gracefully).
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    [GeneratedRegex(@"listening on (?<address>https://\S+?) \(HTTP/2")]
    private static partial Regex Banner();
}
