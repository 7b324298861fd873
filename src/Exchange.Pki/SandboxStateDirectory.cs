namespace Exchange.Pki;

/// <summary>
/// Where the sandbox keeps its state. A relative directory is taken from the repository root when the gateway runs
/// inside a checkout (`dotnet run --project` starts the process in the project folder, and the CLI must find the
/// same development PKI), otherwise from the current directory.
/// </summary>
public static class SandboxStateDirectory
{
    /// <summary>The absolute state directory for a configured one.</summary>
    public static string Resolve(string configured, string? startDirectory = null)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }

        var start = startDirectory ?? Directory.GetCurrentDirectory();
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Exchange.sln")))
            {
                return Path.Combine(dir.FullName, configured);
            }
        }

        return Path.GetFullPath(configured, start);
    }
}
