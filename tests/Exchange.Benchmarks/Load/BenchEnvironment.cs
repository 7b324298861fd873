using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Exchange.Benchmarks.Load;

/// <summary>The repository, the built programs and the Debian tools the benchmark uses.</summary>
internal sealed record BenchEnvironment(string Repository, string Simulator, string Gateway, string GatewayDirectory, string H2Load, string? HaProxy, string? Nginx)
{
    /// <summary>Finds everything the selected rows need; throws one message listing all that is missing.</summary>
    public static BenchEnvironment Find(LoadOptions options)
    {
        var repository = FindRepository();
        var missing = new List<string>();
        var simulator = Path.Combine(repository, "src/Exchange.PartnerSim/bin/Release/net10.0/Exchange.PartnerSim");
        var gatewayDirectory = Path.Combine(repository, "src/Exchange.Gateway/bin/Release/net10.0");
        var gateway = Path.Combine(gatewayDirectory, "Exchange.Gateway");
        foreach (var program in new[] { simulator, gateway })
        {
            if (!File.Exists(program))
            {
                missing.Add($"{Path.GetRelativePath(repository, program)} is not built: run `dotnet build -c Release Exchange.sln` (or this command with -c Release, which builds it)");
            }
        }

        var h2load = Which("h2load");
        if (h2load is null)
        {
            missing.Add("h2load is not installed: Debian package nghttp2-client (apt-get install nghttp2-client); every row needs it");
        }

        var usesHaProxy = options.Rows.Contains("haproxy") || options.Rows.Contains("gateway-mtls");
        var haproxy = usesHaProxy ? Which("haproxy") : null;
        if (usesHaProxy && haproxy is null)
        {
            missing.Add("haproxy is not installed: Debian package haproxy (apt-get install haproxy); rows haproxy and gateway-mtls (its TLS client) need it");
        }

        var nginx = options.Rows.Contains("nginx") ? Which("nginx") : null;
        if (options.Rows.Contains("nginx") && nginx is null)
        {
            missing.Add("nginx is not installed: Debian package nginx (apt-get install nginx); row nginx needs it");
        }

        if (missing.Count > 0)
        {
            throw new BenchmarkException(
                "cannot run the load benchmark:\n  - " + string.Join("\n  - ", missing)
                + "\nThe benchmark installs nothing itself. Leave rows out with --rows (e.g. --rows direct,gateway-h2c,yarp).");
        }

        return new BenchEnvironment(repository, simulator, gateway, gatewayDirectory, h2load!, haproxy, nginx);
    }

    /// <summary>Ports free on 127.0.0.1 now (all bound at once, so they differ).</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>"2 cores (nproc), CPU model, OS, .NET" for the report.</summary>
    public static string Machine()
    {
        var nproc = Run("nproc", []) ?? Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            : null;
        var gib = memory is null ? "? GiB" : $"{long.Parse(memory[9..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0} GiB";
        return $"{nproc} cores (`nproc`), {cpu ?? "unknown CPU"}, {gib}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>"h2load nghttp2/1.52.0", "HAProxy 2.6.12…", "nginx 1.22.1": the tools used, as they name their versions.</summary>
    public static IReadOnlyList<string> ToolVersions(BenchEnvironment environment)
    {
        var versions = new List<string> { Version(environment.H2Load, "--version") ?? "h2load" };
        if (Version(environment.HaProxy, "-v") is { } haproxy)
        {
            // "HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/"
            var words = haproxy.Split(' ');
            versions.Add(words.Length > 2 ? $"HAProxy {words[2]}" : haproxy);
        }

        if (Version(environment.Nginx, "-v") is { } nginx)
        {
            // "nginx version: nginx/1.22.1"
            versions.Add(nginx.Contains("nginx/", StringComparison.Ordinal) ? "nginx " + nginx[(nginx.IndexOf("nginx/", StringComparison.Ordinal) + 6)..] : nginx);
        }

        return versions;
    }

    private static string? Version(string? executable, params string[] arguments) =>
        executable is null ? null : Run(executable, arguments)?.Split('\n')[0].Trim();

    private static string FindRepository()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Exchange.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new BenchmarkException("cannot find the repository (Exchange.sln) above the current directory or the program");
    }

    private static string? Which(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/sbin", "/bin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }

    private static string? Run(string executable, string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            return process.WaitForExit(5000) && output.Trim().Length > 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
