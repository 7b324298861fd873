using System.Text.Json;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Tests.Infrastructure;
using Exchange.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Exchange.PartnerSim.Tests.Interop;

/// <summary>
/// Proof that integrators in other languages can use the contracts: Debian's python3-grpc-tools generates a
/// client from protos/ and Debian's python3-grpcio calls a real simulator with it.
/// </summary>
public sealed class PythonClientTests(ShanghaiRegionFixture fixture) : IClassFixture<ShanghaiRegionFixture>
{
    [Fact]
    public async Task PythonClient_GeneratedFromProtos_CallsSimulator()
    {
        var host = fixture.Region.Host;
        var insured = host.Population.Insurance.First(i => i.Status == InsuranceStatus.Active && i.Type == InsuranceType.Employee);
        var card = host.Population.Cards.Single(c => c.CitizenId == insured.CitizenId);

        var output = await PythonGrpcClient.RunAsync("partner_client.py", $"{host.Address.Host}:{host.Address.Port}", insured.CitizenId, host.RegionCode);

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var services = root.GetProperty("services");
        Assert.Equal(8, services.GetProperty("exchange.medical.v1.CrossRegionSettlementService").GetInt32());
        Assert.Equal(5, services.GetProperty("exchange.archive.v1.ArchiveService").GetInt32());

        Assert.Equal(CardStatusName(card.Status), root.GetProperty("card_status").GetString());
        var today = host.Services.GetRequiredService<RegionClock>().Today;
        Assert.Equal(card.Status == CardStatus.Normal && card.ExpiryDate >= today, root.GetProperty("card_valid").GetBoolean());

        var pre = root.GetProperty("pre_settle");
        Assert.Equal(62_345, pre.GetProperty("total").GetInt64());
        Assert.Equal(pre.GetProperty("total").GetInt64(), pre.GetProperty("fund").GetInt64() + pre.GetProperty("personal").GetInt64());
        Assert.Equal(pre.GetProperty("personal").GetInt64(), pre.GetProperty("account").GetInt64() + pre.GetProperty("cash").GetInt64());

        Assert.Equal("INVALID_ARGUMENT", root.GetProperty("bad_id").GetString());
        Assert.True(root.GetProperty("bad_id_has_details").GetBoolean());
    }

    private static string CardStatusName(CardStatus status) =>
        CardReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("CardStatus").FindValueByNumber((int)status).Name;
}
