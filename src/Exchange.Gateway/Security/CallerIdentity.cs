using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Exchange.Gateway.Configuration;
using Exchange.Pki;
using Grpc.Core;

namespace Exchange.Gateway.Security;

/// <summary>
/// Names the participant behind a call from its TLS client certificate: the certificate must chain to the
/// exchange CA (checked here rather than in the TLS handshake, so a bad certificate gets a gRPC UNAUTHENTICATED
/// with a reason instead of a dropped connection) and its CN must be a configured participant.
/// </summary>
internal sealed class CallerIdentity
{
    private readonly X509Certificate2? _clientCa;
    private readonly IReadOnlyDictionary<string, Participant> _participants;
    private readonly TimeProvider _time;

    // Chain building is costly and a connection presents the same certificate for every call: remember acceptances
    // by thumbprint (bounded: certificates are few, but an attacker could present many).
    private readonly ConcurrentDictionary<string, (string? ParticipantId, string? Error, DateTimeOffset NotAfter)> _verdicts = new(StringComparer.Ordinal);

    private readonly Participant? _plaintextParticipant;

    public CallerIdentity(X509Certificate2? clientCa, IEnumerable<ParticipantOptions> participants, string? plaintextParticipant, TimeProvider time)
    {
        _clientCa = clientCa;
        _participants = participants.ToDictionary(p => p.Id, p => new Participant(p), StringComparer.Ordinal);
        _plaintextParticipant = plaintextParticipant is null ? null : _participants[plaintextParticipant];
        _time = time;
    }

    /// <summary>Every configured participant.</summary>
    public IEnumerable<Participant> Participants => _participants.Values;

    /// <summary>The calling participant; throws UNAUTHENTICATED when there is none.</summary>
    public Participant Resolve(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (!http.Request.IsHttps)
        {
            // Only the loopback plaintext endpoint accepts calls without TLS; its caller is configured, not claimed.
            return _plaintextParticipant ?? throw Rejections.NoClientCertificate();
        }

        var certificate = http.Connection.ClientCertificate ?? throw Rejections.NoClientCertificate();
        var verdict = _verdicts.TryGetValue(certificate.Thumbprint, out var known) && known.NotAfter > _time.GetUtcNow()
            ? known
            : Verify(certificate);
        if (verdict.Error is not null)
        {
            throw Rejections.UntrustedCertificate(verdict.Error);
        }

        return _participants.TryGetValue(verdict.ParticipantId!, out var participant)
            ? participant
            : throw Rejections.UnknownParticipant(verdict.ParticipantId!);
    }

    private (string? ParticipantId, string? Error, DateTimeOffset NotAfter) Verify(X509Certificate2 certificate)
    {
        (string? ParticipantId, string? Error, DateTimeOffset NotAfter) verdict;
        if (_clientCa is null)
        {
            verdict = (null, "the gateway has no client CA configured", DateTimeOffset.MaxValue);
        }
        else if (!CertificateTrust.IsIssuedBy(certificate, _clientCa, CertificateUsage.ClientAuthentication, _time.GetUtcNow(), out var error))
        {
            verdict = (null, error, DateTimeOffset.MaxValue);
        }
        else
        {
            var participantId = CertificateTrust.ParticipantIdOf(certificate);
            verdict = participantId is null
                ? (null, "the certificate names no participant (no subject CN)", DateTimeOffset.MaxValue)
                : (participantId, null, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        }

        // Only acceptances are remembered: a refusal is checked again next time, so no transient failure can lock a
        // participant out until restart.
        if (verdict.Error is null && _verdicts.Count < 10_000)
        {
            _verdicts[certificate.Thumbprint] = verdict;
        }

        return verdict;
    }
}
