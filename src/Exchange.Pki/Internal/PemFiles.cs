using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Exchange.Pki.Internal;

/// <summary>
/// Reads and writes a certificate (PEM) and its private key (PEM, PKCS#8). Files are created readable by the owner
/// only (0600, in a 0700 directory) where the OS has Unix permissions; they are written to a temporary name and
/// renamed, so a reader never sees half a file.
/// </summary>
internal static class PemFiles
{
    /// <summary>Owner read and write: 0600.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // Certificates are public, but the sandbox's PKI is one user's: nothing in it needs to be readable by others.
    private const UnixFileMode KeyMode = OwnerOnly;
    private const UnixFileMode CertificateMode = OwnerOnly;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (owner-only where possible) if it does not exist.</summary>
    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    /// <summary>Loads a certificate with its private key; the key must belong to the certificate.</summary>
    /// <exception cref="CryptographicException">A file is not valid PEM, or the key does not match.</exception>
    public static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        TightenKeyPermissions(keyPath);
        return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
    }

    /// <summary>Writes the certificate and its ECDSA private key, replacing any existing files.</summary>
    public static void Save(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        using var key = certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"{certificatePath}: certificate has no ECDSA private key to save");
        // Key first: a certificate on disk without its key would be loaded and fail; a key without its certificate is
        // simply replaced next time.
        WriteAtomically(keyPath, key.ExportPkcs8PrivateKeyPem(), KeyMode);
        WriteAtomically(certificatePath, certificate.ExportCertificatePem(), CertificateMode);
    }

    private static void WriteAtomically(string path, string content, UnixFileMode mode)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation, so the key is never readable by others, not even for an instant.
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Write('\n');
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void TightenKeyPermissions(string keyPath)
    {
        // A key made readable by others (a copy, a lax umask elsewhere) is put back to owner-only rather than refused.
        if (!OperatingSystem.IsWindows() && File.Exists(keyPath) && (File.GetUnixFileMode(keyPath) & ~KeyMode) != 0)
        {
            File.SetUnixFileMode(keyPath, KeyMode);
        }
    }
}
