using System.Security.Cryptography;
using Exchange.Gateway.Configuration;
using Exchange.Pki;

namespace Exchange.Gateway.Audit;

/// <summary>
/// What the host fills in when the "Audit" section leaves it open — the node id, the SQLite file and the archive
/// directory in the state directory — and the sandbox's development keys, made on first run and reused after.
/// </summary>
internal static class AuditSetup
{
    /// <summary>The SQLite file in the state directory.</summary>
    public const string SqliteFileName = "audit.db";

    /// <summary>The archive directory in the state directory.</summary>
    public const string ArchiveDirectoryName = "audit-archive";

    /// <summary>The sandbox's subject-hash key (base64) in the state directory.</summary>
    public const string SubjectKeyFileName = "audit-subject.key";

    /// <summary>The sandbox's checkpoint private key in the state directory (its public key is <c>audit-checkpoint.pub.pem</c>).</summary>
    public const string CheckpointKeyFileName = "audit-checkpoint.pem";

    private const int SubjectKeyBytes = 32;

    /// <summary>
    /// <paramref name="options"/>' audit settings with the host's defaults: the chain of <see cref="GatewayOptions.NodeId"/>,
    /// <c>audit.db</c> and <c>audit-archive</c> in the state directory. Relative paths are resolved as the state
    /// directory is (from the repository root inside a checkout, else the current directory).
    /// </summary>
    public static AuditOptions Resolve(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var audit = options.Audit;
        var state = SandboxStateDirectory.Resolve(options.Sandbox.StateDirectory);
        return audit with
        {
            NodeId = audit.NodeId ?? options.NodeId,
            SqlitePath = SandboxStateDirectory.Resolve(audit.SqlitePath ?? Path.Combine(state, SqliteFileName)),
            ArchiveDirectory = SandboxStateDirectory.Resolve(audit.ArchiveDirectory ?? Path.Combine(state, ArchiveDirectoryName)),
        };
    }

    /// <summary>
    /// <paramref name="audit"/> with the development keys of <paramref name="stateDirectory"/> where no key is
    /// configured: a random subject-hash key and an ECDSA P-256 checkpoint key, each made once (owner-only) and reused
    /// by every later run, so hashes stay searchable and checkpoints verifiable across restarts. A configured
    /// checkpoint key file that does not exist yet is made too. Sandbox only.
    /// </summary>
    public static AuditOptions WithDevelopmentKeys(AuditOptions audit, string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        return audit with
        {
            SubjectHashKey = audit.SubjectHashKey ?? LoadOrCreateSubjectHashKey(Path.Combine(stateDirectory, SubjectKeyFileName)),
            CheckpointKeyPath = EnsureCheckpointKey(audit.CheckpointKeyPath ?? Path.Combine(stateDirectory, CheckpointKeyFileName)),
        };
    }

    /// <summary>The base64 key in <paramref name="path"/>, or a new random 32-byte key written there (owner-only).</summary>
    public static string LoadOrCreateSubjectHashKey(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(SubjectKeyBytes));
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var writer = new StreamWriter(new FileStream(temporary, options)))
            {
                writer.Write(key);
                writer.Write('\n');
            }

            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made it first: use theirs.
            return File.ReadAllText(path).Trim();
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Makes the development checkpoint key in <paramref name="path"/> unless it exists; returns the path.</summary>
    public static string EnsureCheckpointKey(string path)
    {
        using var signer = AuditCheckpointSigner.LoadOrCreateDevelopment(path);
        return path;
    }
}
