using BenchmarkDotNet.Running;

namespace Exchange.Benchmarks.Micro;

/// <summary>
/// Runs the BenchmarkDotNet micro-benchmarks of the gateway's hot paths. Arguments are BenchmarkDotNet's
/// (--filter, --job, --list…); without --filter every benchmark runs. They run in this process (--inProcess) unless a
/// toolchain is named, so nothing is rebuilt, and the artifacts go to this program's directory unless --artifacts.
/// </summary>
internal static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        var arguments = args.ToList();
        if (!arguments.Any(a => a is "--filter" or "-f" or "--list" or "--allCategories" or "--anyCategories" or "--help" or "-h" or "--version"))
        {
            arguments.AddRange(["--filter", "*"]);
        }

        if (!arguments.Any(a => a is "--inProcess" or "-i" or "--toolchain" or "--runtimes" or "-r" or "--cli" or "--help" or "-h"))
        {
            arguments.Add("--inProcess");
        }

        if (!arguments.Any(a => a is "--artifacts" or "-a"))
        {
            arguments.AddRange(["--artifacts", Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts")]);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run([.. arguments]).ToList();
        var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }
}
