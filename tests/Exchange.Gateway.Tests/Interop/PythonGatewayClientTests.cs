using System.Text.Json;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.V1;
using Exchange.Gateway.Tests.Infrastructure;
using Google.Rpc;
using Exchange.Tests.Shared;

namespace Exchange.Gateway.Tests.Interop;

/// <summary>
/// Proof that integrators in other languages can call the gateway: Debian's python3-grpc-tools generates a client
/// from protos/ and Debian's python3-grpcio calls the real gateway over mutual TLS with a participant's PEM files.
/// </summary>
public sealed class PythonGatewayClientTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Python = "/usr/bin/python3";
    private const string SettlePath = "/exchange.medical.v1.CrossRegionSettlementService/Settle";
    private const string PreSettlePath = "/exchange.medical.v1.CrossRegionSettlementService/PreSettle";
    private const string GetInsuredPersonPath = "/exchange.medical.v1.CrossRegionSettlementService/GetInsuredPerson";

    [Fact]
    public async Task PythonClient_WithParticipantCertificate_CallsThroughTheGatewayAndIsRefusedLikeAnyCaller()
    {
        var environment = fixture.Environment;
        var shanghai = environment.Regions["310000"];
        var insured = shanghai.Population.Insurance.First(i => i.Status == InsuranceStatus.Active);
        var stats = shanghai.Statistics;
        var (personCalls, preSettleCalls) = (stats.ReceivedBy(GetInsuredPersonPath), stats.ReceivedBy(PreSettlePath));
        var settleCalls = environment.Regions.Values.Sum(r => r.Statistics.ReceivedBy(SettlePath));
        var pki = environment.Pki;

        using var json = await RunClientAsync(
            $"127.0.0.1:{environment.Gateway.Address.Port}",
            pki.CaCertificatePath,
            pki.ParticipantCertificatePath(TestParticipants.Hospital),
            pki.ParticipantKeyPath(TestParticipants.Hospital),
            pki.ParticipantCertificatePath(TestParticipants.Museum),
            pki.ParticipantKeyPath(TestParticipants.Museum),
            insured.CitizenId,
            "310000");
        var root = json.RootElement;

        // The hospital (SensitivePersonal) sees the person as Shanghai holds them.
        var person = root.GetProperty("person");
        Assert.Equal(shanghai.Population.ResidentsById[insured.CitizenId].Name, person.GetProperty("name").GetString());
        Assert.Equal(insured.PersonNumber, person.GetProperty("person_number").GetString());
        Assert.Equal("310000", person.GetProperty("insured_region").GetString());
        Assert.Equal("INSURANCE_STATUS_ACTIVE", person.GetProperty("status").GetString());

        // Same bill through the C# stack: the same split, to the fen.
        var expected = (await new CrossRegionSettlementService.CrossRegionSettlementServiceClient(environment.ChannelFor(TestParticipants.Hospital))
            .PreSettleAsync(PythonsPreSettle(insured.CitizenId))).Amounts;
        var pre = root.GetProperty("pre_settle");
        Assert.Equal(62_345, pre.GetProperty("total").GetInt64());
        Assert.Equal(expected.Eligible.Fen, pre.GetProperty("eligible").GetInt64());
        Assert.Equal(expected.FundPayment.Fen, pre.GetProperty("fund").GetInt64());
        Assert.Equal(expected.PersonalPayment.Fen, pre.GetProperty("personal").GetInt64());
        Assert.Equal(expected.AccountPayment.Fen, pre.GetProperty("account").GetInt64());
        Assert.Equal(expected.CashPayment.Fen, pre.GetProperty("cash").GetInt64());

        var museum = root.GetProperty("museum_settle");
        Assert.Equal("PERMISSION_DENIED", museum.GetProperty("code").GetString());
        Assert.Equal($"participant 'hangzhou-museum' may not call {SettlePath}", museum.GetProperty("message").GetString());
        Assert.Equal("METHOD_NOT_ALLOWED", ErrorInfoIn(museum).Reason);

        var anonymous = root.GetProperty("without_certificate");
        Assert.Equal("UNAUTHENTICATED", anonymous.GetProperty("code").GetString());
        Assert.Equal("a client certificate issued by the exchange CA is required", anonymous.GetProperty("message").GetString());
        Assert.Equal("CLIENT_CERTIFICATE_REQUIRED", ErrorInfoIn(anonymous).Reason);

        // Python's two admitted calls reached Shanghai once each (plus the C# comparison); the refusals reached no one.
        Assert.Equal(personCalls + 1, stats.ReceivedBy(GetInsuredPersonPath));
        Assert.Equal(preSettleCalls + 2, stats.ReceivedBy(PreSettlePath));
        Assert.Equal(settleCalls, environment.Regions.Values.Sum(r => r.Statistics.ReceivedBy(SettlePath)));
    }

    private static PreSettleRequest PythonsPreSettle(string citizenId) => new()
    {
        InsuredRegion = "310000",
        Visit = new Visit
        {
            TreatmentRegion = "341021",
            CitizenId = citizenId,
            Hospital = new Hospital { Code = "H34102100001", Level = HospitalLevel.Secondary },
            VisitId = "PY-VISIT-1",
            FeeItems =
            {
                new FeeItem { ItemCode = "XA01", CatalogueClass = CatalogueClass.A, Amount = new Money { Fen = 50_000 } },
                new FeeItem { ItemCode = "XB02", CatalogueClass = CatalogueClass.B, Amount = new Money { Fen = 12_345 } },
            },
        },
        Purpose = PurposeOfUse.MedicalSettlement,
    };

    private static ErrorInfo ErrorInfoIn(JsonElement refusal)
    {
        var status = Status.Parser.ParseFrom(Convert.FromBase64String(refusal.GetProperty("status_details").GetString()!));
        var info = status.Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>();
        Assert.Equal("exchange.gov.cn", info.Domain);
        return info;
    }

    private static async Task<JsonDocument> RunClientAsync(params string[] arguments) =>
        JsonDocument.Parse(await PythonGrpcClient.RunAsync("gateway_client.py", arguments));
}
