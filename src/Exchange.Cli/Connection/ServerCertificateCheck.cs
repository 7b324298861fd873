using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Exchange.Pki;

namespace Exchange.Cli.Connection;

/// <summary>
/// Validates the server's certificate against the development CA alone (custom root trust; the machine's store is
/// never consulted and validation is never switched off), and requires the host name to match. Remembers why it
/// last refused, because the gRPC error of a refused handshake does not say.
/// </summary>
public sealed class ServerCertificateCheck(X509Certificate2 trustedCa)
{
    private volatile string? _lastRejection;

    /// <summary>Why the last server certificate was refused; null if none was.</summary>
    public string? LastRejection => _lastRejection;

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/> applying this check.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // The platform's chain verdict is replaced by ours (it knows nothing of the development CA); every other
        // finding, a name mismatch or no certificate at all, stands.
        var otherErrors = errors & ~SslPolicyErrors.RemoteCertificateChainErrors;
        if (otherErrors != SslPolicyErrors.None)
        {
            _lastRejection = otherErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                ? "the server certificate does not name the host called"
                : $"the server certificate was refused: {otherErrors}";
            return false;
        }

        if (certificate is not X509Certificate2 presented)
        {
            _lastRejection = "the server presented no certificate";
            return false;
        }

        if (!CertificateTrust.IsIssuedBy(presented, trustedCa, CertificateUsage.ServerAuthentication, out var error))
        {
            _lastRejection = $"the server certificate is not trusted: {error}";
            return false;
        }

        return true;
    }
}
