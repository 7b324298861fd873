namespace Exchange.Pki.Tests;

/// <summary>Contents and write times of every file under a directory, to prove a call changed nothing.</summary>
internal sealed record FileSnapshot(string RelativePath, string Content, DateTime LastWriteUtc)
{
    public static IReadOnlyDictionary<string, FileSnapshot> Of(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Select(f => new FileSnapshot(Path.GetRelativePath(directory, f), File.ReadAllText(f), File.GetLastWriteTimeUtc(f)))
            .ToDictionary(s => s.RelativePath, StringComparer.Ordinal);
}
