using System.Diagnostics;

namespace Exchange.Tests.Shared;

/// <summary>
/// Runs a Python gRPC client as an integrator would build one: Debian's python3-grpc-tools generates the stubs from
/// the repository's protos/ into a temporary directory, then Debian's python3 (with python3-grpcio) runs a script of
/// the test project's Interop folder with that directory as its first argument. Shared by the interop tests of the
/// simulator and of the gateway (linked into both projects).
/// </summary>
internal static class PythonGrpcClient
{
    /// <summary>Debian's interpreter, which has the Debian grpc packages (a venv's python would not).</summary>
    private const string Python = "/usr/bin/python3";

    /// <summary>Generates the stubs, runs <paramref name="script"/> with <paramref name="arguments"/> and returns what it printed.</summary>
    /// <param name="script">A file in the test output's Interop folder, e.g. "partner_client.py".</param>
    /// <param name="arguments">The script's arguments after the stub directory.</param>
    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var generated = Directory.CreateTempSubdirectory("exchange-py-").FullName;
        try
        {
            var protos = ProtosDirectory();
            var protoFiles = Directory.GetFiles(protos, "*.proto", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(protos, f));
            var generate = await RunProcessAsync(Python, ["-m", "grpc_tools.protoc", "-I", protos, "--python_out", generated, "--grpc_python_out", generated, .. protoFiles]);
            Assert.True(generate.ExitCode == 0, generate.Error);

            var run = await RunProcessAsync(Python, [Path.Combine(AppContext.BaseDirectory, "Interop", script), generated, .. arguments]);
            Assert.True(run.ExitCode == 0, run.Error);
            return run.Output;
        }
        finally
        {
            Directory.Delete(generated, recursive: true);
        }
    }

    private static string ProtosDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "protos");
            if (File.Exists(Path.Combine(candidate, "exchange", "v1", "annotations.proto")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("protos/ not found above the test output directory");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
