using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Domain.Identifiers;
using Exchange.Gateway.Tests.Forwarding;
using Exchange.Gateway.Tests.Infrastructure;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Medical;
using Exchange.Pki;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Exchange.Gateway.Tests.Idempotency;

/// <summary>
/// Settle requests for the end-to-end exactly-once tests, sent as raw bytes so that answers can be compared byte for
/// byte, and what the insured region's simulator has seen of them.
/// </summary>
internal static class Settlements
{
    /// <summary>The Settle path, as the gateway and the simulators' statistics name it.</summary>
    public static readonly string Path = ExchangePaths.Medical("Settle");

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(static b => b, static b => b);
    private static readonly Method<byte[], byte[]> SettleMethod = new(MethodType.Unary, CrossRegionSettlementService.Descriptor.FullName, "Settle", Raw, Raw);
    private static int s_sequence;

    /// <summary>A msgid no other test of the run uses.</summary>
    public static string NewRequestId() =>
        SettlementMessageId.Create("H34102100001", new DateTime(2025, 6, 1, 9, 30, 0, DateTimeKind.Unspecified), Interlocked.Increment(ref s_sequence)).Value;

    /// <summary>A She County hospital's bill for an outpatient visit of a patient insured in <paramref name="insuredRegion"/>.</summary>
    public static SettleRequest Bill(string requestId, string insuredRegion, string citizenId, long classAFen = 300_00) => new()
    {
        RequestId = requestId,
        InsuredRegion = insuredRegion,
        Purpose = PurposeOfUse.MedicalSettlement,
        Visit = new Visit
        {
            TreatmentRegion = "341021",
            CitizenId = citizenId,
            Hospital = new Hospital { Code = "H34102100001", Level = HospitalLevel.Secondary },
            VisitId = "MDT20250601000042",
            FeeItems =
            {
                new FeeItem { ItemCode = "XA01AAA001", CatalogueClass = CatalogueClass.A, Amount = new Money { Fen = classAFen } },
                new FeeItem { ItemCode = "XB02BBB002", CatalogueClass = CatalogueClass.B, Amount = new Money { Fen = 80_00 } },
            },
        },
    };

    /// <summary>Sends Settle as bytes and returns the answer's bytes.</summary>
    public static async Task<byte[]> SendAsync(GrpcChannel channel, byte[] request, DateTime? deadline = null) =>
        await channel.CreateCallInvoker().AsyncUnaryCall(SettleMethod, null, new CallOptions(deadline: deadline), request);

    /// <summary>Settle calls the region has received.</summary>
    public static long Received(PartnerRegionHost region) => region.Statistics.ReceivedBy(Path);

    /// <summary>Settlements the region has recorded.</summary>
    public static long Recorded(PartnerRegionHost region) => region.Services.GetRequiredService<ISettlementCounter>().SettlementCount;

    /// <summary>
    /// A channel to a gateway other than the environment's own (a second replica), presenting
    /// <paramref name="participantId"/>'s certificate of the environment's PKI.
    /// </summary>
    public static GrpcChannel ChannelTo(Uri gateway, GatewayEnvironment environment, string participantId)
    {
        var ca = environment.Pki.CaCertificate;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { environment.Pki.ParticipantCertificate(participantId) },
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 presented && CertificateTrust.IsIssuedBy(presented, ca, CertificateUsage.ServerAuthentication, out _),
            },
        };
        return GrpcChannel.ForAddress(gateway, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>The request's bytes.</summary>
    public static byte[] Bytes(this SettleRequest request) => request.ToByteArray();
}
