using System.Security.Cryptography;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The public keys checkpoints are verified with, found by key id (so a rotated key's old checkpoints still verify
/// when its public key is kept). A checkpoint signed by a key not in the set does not verify.
/// </summary>
internal sealed class AuditCheckpointKeys : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly Dictionary<string, ECDsa> _keys;

    private AuditCheckpointKeys(Dictionary<string, ECDsa> keys) => _keys = keys;

    /// <summary>Ids of the keys in the set.</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>The keys in the given PEM texts (public keys, or private keys whose public half is used).</summary>
    /// <exception cref="CryptographicException">A text holds no EC key.</exception>
    /// <exception cref="ArgumentException">A key is not P-256.</exception>
    public static AuditCheckpointKeys FromPem(params IEnumerable<string> pems)
    {
        ArgumentNullException.ThrowIfNull(pems);
        var keys = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        try
        {
            foreach (var pem in pems)
            {
                using var loaded = ECDsa.Create();
                loaded.ImportFromPem(pem);
                RequireP256(loaded, nameof(pems));
                var key = ECDsa.Create();
                key.ImportSubjectPublicKeyInfo(loaded.ExportSubjectPublicKeyInfo(), out _);
                if (!keys.TryAdd(KeyIdOf(key), key))
                {
                    key.Dispose();
                }
            }

            return new AuditCheckpointKeys(keys);
        }
        catch
        {
            foreach (var key in keys.Values)
            {
                key.Dispose();
            }

            throw;
        }
    }

    /// <summary>The keys in the given PEM files.</summary>
    public static AuditCheckpointKeys Load(params IEnumerable<string> paths) =>
        FromPem(paths.Select(File.ReadAllText).ToList());

    /// <summary>Lower-case hex SHA-256 of the key's SubjectPublicKeyInfo (DER).</summary>
    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Throws unless <paramref name="key"/> is on the P-256 curve.</summary>
    public static void RequireP256(ECDsa key, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(key);
        var curve = key.ExportParameters(false).Curve;
        if (key.KeySize != 256 || !curve.IsNamed || (curve.Oid.Value != P256Oid && curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256")))
        {
            throw new ArgumentException("checkpoints are signed with ECDSA P-256 keys only", parameterName);
        }
    }

    /// <summary>Whether <paramref name="checkpoint"/> carries a valid signature by a key of the set; if not, why.</summary>
    public bool Verify(AuditCheckpoint checkpoint, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!_keys.TryGetValue(checkpoint.KeyId, out var key))
        {
            problem = $"signed by unknown key {Abbreviate(checkpoint.KeyId)}";
            return false;
        }

        bool valid;
        try
        {
            valid = key.VerifyData(checkpoint.SignedBytes(), checkpoint.Signature.AsSpan(), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            valid = false;
        }

        if (!valid)
        {
            problem = "signature does not verify: the checkpoint was altered or forged";
            return false;
        }

        problem = null;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private static string Abbreviate(string keyId) => keyId.Length > 16 ? keyId[..16] + "…" : keyId;
}
