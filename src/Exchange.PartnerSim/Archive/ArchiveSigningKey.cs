using System.Security.Cryptography;

namespace Exchange.PartnerSim.Archive;

/// <summary>The region archive's ECDSA P-256 key that signs certificates.</summary>
public sealed class ArchiveSigningKey(ECDsa key)
{
    /// <summary>The key pair.</summary>
    public ECDsa Key { get; } = key;

    /// <summary>The public key as DER SubjectPublicKeyInfo, as published to verifiers.</summary>
    public byte[] PublicKeyDer { get; } = key.ExportSubjectPublicKeyInfo();
}
