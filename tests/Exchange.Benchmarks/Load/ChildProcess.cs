using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Exchange.Benchmarks.Load;

/// <summary>
/// A process the benchmark started (simulator, gateway, a peer), its output going to a log file. Stopped with SIGTERM,
/// then killed with its whole process tree if it has not exited within a few seconds.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private int _stopped;

    private ChildProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    /// <summary>What the process is, for messages.</summary>
    public string Name { get; }

    /// <summary>Where its stdout and stderr go.</summary>
    public string LogPath { get; }

    /// <summary>Its process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="fileName"/>; <paramref name="environment"/> entries with a null value are removed.</summary>
    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        string logPath,
        IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing the benchmark starts exports telemetry, whatever the caller's environment says.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? [])
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.Dispose();
            process.Dispose();
            throw new BenchmarkException($"{name}: cannot start {fileName}: {e.Message}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            EnsureRunning();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < limit)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new BenchmarkException($"{Name} did not listen on 127.0.0.1:{port} within {limit.TotalSeconds:0} s ({e.SocketErrorCode}); its log {LogPath} ends:\n{Tail()}");
            }
        }
    }

    /// <summary>Throws, with the end of its log, if the process has exited.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new BenchmarkException($"{Name} exited with code {_process.ExitCode}; its log {LogPath} ends:\n{Tail()}");
        }
    }

    /// <summary>Peak resident set size (VmHWM) of the process and its descendants, in KiB, summed; null if unknown.</summary>
    public long? PeakRssKiB()
    {
        if (_process.HasExited)
        {
            return null;
        }

        long total = 0;
        var found = false;
        foreach (var pid in Descendants(_process.Id).Prepend(_process.Id))
        {
            if (ReadStatusKiB(pid, "VmHWM:") is { } kib)
            {
                total += kib;
                found = true;
            }
        }

        return found ? total : null;
    }

    /// <summary>The last lines of its log.</summary>
    public string Tail(int lines = 15)
    {
        lock (_logGate)
        {
            _log.Flush();
        }

        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', all.TakeLast(lines).Select(l => "    " + l));
        }
        catch (IOException e)
        {
            return $"    (log unreadable: {e.Message})";
        }
    }

    /// <summary>SIGTERM, up to 5 s for it to exit, then SIGKILL to it and its descendants.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _ = Posix.Kill(_process.Id, Posix.SigTerm);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    using var kill = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _process.WaitForExitAsync(kill.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            await Console.Error.WriteLineAsync($"warning: could not stop {Name} (pid {_process.Id}): {e.Message}").ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
        lock (_logGate)
        {
            _log.Dispose();
        }
    }

    /// <summary>A number of KiB from a line of /proc/PID/status ("VmHWM:   1234 kB"), or null.</summary>
    public static long? ReadStatusKiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var number = line[field.Length..].Trim().Split(' ', 2)[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static List<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        var result = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            foreach (var child in children.GetValueOrDefault(queue.Dequeue()) ?? [])
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        return result;
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
