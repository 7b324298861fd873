namespace Exchange.Pki;

/// <summary>One certificate of a development PKI and what loading it did.</summary>
/// <param name="Name">Path of the files relative to the PKI directory, without extension (e.g. "participants/auditor").</param>
/// <param name="CommonName">Subject CN of the certificate.</param>
/// <param name="CertificatePath">Full path of the PEM certificate.</param>
/// <param name="KeyPath">Full path of the PEM PKCS#8 private key.</param>
/// <param name="Status">Loaded, created or replaced.</param>
/// <param name="Reason">Why files on disk were replaced; null otherwise.</param>
/// <param name="NotAfter">Last instant the certificate is valid (UTC).</param>
public sealed record PkiEntry(
    string Name,
    string CommonName,
    string CertificatePath,
    string KeyPath,
    PkiEntryStatus Status,
    string? Reason,
    DateTimeOffset NotAfter);
