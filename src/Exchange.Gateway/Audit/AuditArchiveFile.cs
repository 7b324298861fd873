using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Exchange.Gateway.Audit;

/// <summary>
/// Archive files: gzip-compressed NDJSON, one directory per node, one file per range of a node's chain, named
/// <c>{first:D12}-{last:D12}.ndjson.gz</c>. A file continues the chain exactly where the previous one (or nothing)
/// ended: a header line ("kind": "archive", node, firstSequence, previousHash), then the records in order, each
/// followed by the checkpoint that signs it if there is one, then a trailer ("kind": "end", lastSequence, lastHash,
/// record and checkpoint counts) whose absence shows a cut-off file.
/// </summary>
internal static class AuditArchiveFile
{
    /// <summary>Ending of archive file names.</summary>
    public const string Suffix = ".ndjson.gz";

    /// <summary>Version of the file layout.</summary>
    public const int FormatVersion = 1;

    /// <summary>Value of "kind" on the header line.</summary>
    public const string HeaderKind = "archive";

    /// <summary>Value of "kind" on the trailer line.</summary>
    public const string TrailerKind = "end";

    /// <summary>The directory of <paramref name="node"/>'s archive files.</summary>
    public static string NodeDirectory(string archiveDirectory, string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(archiveDirectory);
        if (!AuditOptions.IsNodeId(node))
        {
            throw new ArgumentException($"'{node}' is not a node id", nameof(node));
        }

        return Path.Combine(archiveDirectory, node);
    }

    /// <summary>The name of the file holding records <paramref name="first"/> to <paramref name="last"/>.</summary>
    public static string FileName(long first, long last) =>
        string.Create(CultureInfo.InvariantCulture, $"{first:D12}-{last:D12}{Suffix}");

    /// <summary>The range an archive file's name states.</summary>
    public static bool TryParseFileName(string fileName, out long first, out long last)
    {
        first = last = 0;
        if (!fileName.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = fileName[..^Suffix.Length].Split('-');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out last);
    }

    /// <summary>The node's archive files (full paths), in chain order.</summary>
    public static IReadOnlyList<string> List(string archiveDirectory, string node)
    {
        var directory = NodeDirectory(archiveDirectory, node);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return
        [
            .. Directory.EnumerateFiles(directory, "*" + Suffix)
                .Select(path => (Path: path, Parsed: TryParseFileName(Path.GetFileName(path), out var first, out var last), First: first, Last: last))
                .Where(f => f.Parsed)
                .OrderBy(f => f.First)
                .ThenBy(f => f.Last)
                .Select(f => f.Path),
        ];
    }

    /// <summary>Nodes with an archive directory.</summary>
    public static IReadOnlyList<string> Nodes(string archiveDirectory)
    {
        if (!Directory.Exists(archiveDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(archiveDirectory).Select(Path.GetFileName).OfType<string>().Where(AuditOptions.IsNodeId).Order(StringComparer.Ordinal)];
    }

    /// <summary>The lines of an archive file, parsed; a line that is not JSON comes with the parser's complaint.</summary>
    /// <exception cref="InvalidDataException">The file is not valid gzip (raised where the damage starts).</exception>
    public static async IAsyncEnumerable<AuditArchiveLine> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using (gzip.ConfigureAwait(false))
            {
                using var reader = new StreamReader(gzip, new UTF8Encoding(false, throwOnInvalidBytes: true));
                var number = 0;
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    number++;
                    JsonElement? json = null;
                    string? error = null;
                    try
                    {
                        using var document = JsonDocument.Parse(line);
                        json = document.RootElement.Clone();
                    }
                    catch (JsonException exception)
                    {
                        error = $"not JSON: {exception.Message}";
                    }

                    yield return new AuditArchiveLine(number, json, error);
                }
            }
        }
    }
}

/// <summary>One line of an archive file.</summary>
/// <param name="Number">Line number, from 1.</param>
/// <param name="Json">The parsed object, or null when the line is not JSON.</param>
/// <param name="Error">Why the line could not be parsed, or null.</param>
internal readonly record struct AuditArchiveLine(int Number, JsonElement? Json, string? Error);
