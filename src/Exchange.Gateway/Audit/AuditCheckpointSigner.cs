using System.Collections.Immutable;
using System.Security.Cryptography;

namespace Exchange.Gateway.Audit;

/// <summary>
/// Signs checkpoints with the node's ECDSA P-256 private key (a PEM file from configuration; the sandbox generates a
/// development key on first run). Thread-safe.
/// </summary>
internal sealed class AuditCheckpointSigner : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ECDsa _key;

    /// <summary>A signer with <paramref name="key"/>, which it owns from now on.</summary>
    /// <exception cref="ArgumentException">The key is not a P-256 private key.</exception>
    public AuditCheckpointSigner(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        AuditCheckpointKeys.RequireP256(key, nameof(key));
        _key = key;
        KeyId = AuditCheckpointKeys.KeyIdOf(key);
    }

    /// <summary>Id of the key (see <see cref="AuditCheckpoint.KeyId"/>).</summary>
    public string KeyId { get; }

    /// <summary>A signer with a new random key (tests, benchmarks).</summary>
    public static AuditCheckpointSigner CreateEphemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Loads the PEM private key (PKCS#8 or SEC 1) in <paramref name="path"/>.</summary>
    /// <exception cref="CryptographicException">The file holds no usable EC private key.</exception>
    public static AuditCheckpointSigner Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return new AuditCheckpointSigner(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the key in <paramref name="path"/>, or generates one there (owner-only) with its public key beside it
    /// (<see cref="PublicKeyPath"/>): for the sandbox, never for production, where the key is provisioned.
    /// </summary>
    public static AuditCheckpointSigner LoadOrCreateDevelopment(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return Load(path);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var signer = new AuditCheckpointSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        WriteAtomically(path, signer._key.ExportPkcs8PrivateKeyPem());
        WriteAtomically(PublicKeyPath(path), signer.ExportPublicKeyPem());
        return signer;
    }

    /// <summary>Where <see cref="LoadOrCreateDevelopment"/> puts the public key of the key in <paramref name="privateKeyPath"/>.</summary>
    public static string PublicKeyPath(string privateKeyPath) =>
        Path.ChangeExtension(privateKeyPath, null) + ".pub.pem";

    /// <summary>The public key as PEM (SubjectPublicKeyInfo), for verifiers.</summary>
    public string ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The public key, for verifying this signer's checkpoints.</summary>
    public AuditCheckpointKeys PublicKeys() => AuditCheckpointKeys.FromPem(ExportPublicKeyPem());

    /// <summary>Signs (node, sequence, record hash, time).</summary>
    public AuditCheckpoint Sign(string node, long sequence, AuditHash recordHash, DateTimeOffset time)
    {
        var unsigned = new AuditCheckpoint
        {
            Node = node,
            Sequence = sequence,
            RecordHash = recordHash,
            CreatedAt = AuditTime.Normalize(time),
            KeyId = KeyId,
            Signature = [],
        };
        var signature = _key.SignData(unsigned.SignedBytes(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return unsigned with { Signature = ImmutableArray.Create(signature) };
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static void WriteAtomically(string path, string content)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Write('\n');
            }

            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
