using System.Runtime.InteropServices;

namespace Exchange.Benchmarks.Load;

/// <summary>The one POSIX call .NET has no API for: sending SIGTERM (Process.Kill sends SIGKILL).</summary>
internal static class Posix
{
    public const int SigTerm = 15;

    /// <summary>kill(2); 0 on success.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Kill(int pid, int signal);
}
