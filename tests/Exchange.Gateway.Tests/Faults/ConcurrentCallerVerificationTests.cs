using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.Pki;

namespace Exchange.Gateway.Tests.Faults;

/// <summary>
/// A client sends many calls at once over one TLS connection, and Kestrel gives every one of them the same
/// <see cref="X509Certificate2"/> object (<c>HttpContext.Connection.ClientCertificate</c>). The gateway's
/// CallerIdentity verifies a certificate it has no verdict for yet with <see cref="CertificateTrust.IsIssuedBy(X509Certificate2, X509Certificate2, CertificateUsage, out string?)"/>,
/// so the first calls of a busy client verify that one object concurrently. Found by the fault runs: one call of a
/// burst was refused UNAUTHENTICATED "'CN=county-hospital' is not issued for client authentication (extended key
/// usage 1.3.6.1.5.5.7.3.2 missing)" while every other call with the same certificate was admitted.
/// </summary>
public sealed class ConcurrentCallerVerificationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("exchange-pki-").FullName;

    [Fact]
    public void OneClientCertificate_VerifiedByManyCallsAtOnce_IsAcceptedByEveryCall()
    {
        using var pki = DevelopmentPki.LoadOrCreate(_directory, new DevelopmentPkiPlan("341021", ["310000"], [TestParticipants.Hospital]));
        var refusals = new ConcurrentQueue<string>();
        const int Connections = 300;
        const int CallsAtOnce = 8;

        for (var connection = 0; connection < Connections; connection++)
        {
            // Per connection, one certificate object as the TLS handshake produced it (public part only).
            using var presented = X509CertificateLoader.LoadCertificate(pki.ParticipantCertificate(TestParticipants.Hospital).RawData);
            using var go = new ManualResetEventSlim();
            var calls = Enumerable.Range(0, CallsAtOnce).Select(_ => new Thread(() =>
            {
                go.Wait();
                if (!CertificateTrust.IsIssuedBy(presented, pki.CaCertificate, CertificateUsage.ClientAuthentication, out var error))
                {
                    refusals.Enqueue(error!);
                }
            })).ToArray();
            foreach (var call in calls)
            {
                call.Start();
            }

            go.Set();
            foreach (var call in calls)
            {
                call.Join();
            }
        }

        Assert.True(
            refusals.IsEmpty,
            $"{refusals.Count} of {Connections * CallsAtOnce} verifications of a valid client certificate refused it: "
            + string.Join(" | ", refusals.Distinct().Take(3)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
