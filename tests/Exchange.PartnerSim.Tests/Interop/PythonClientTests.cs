using System.Diagnostics;
using System.Text.Json;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.PartnerSim.Hosting;
using Exchange.PartnerSim.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Exchange.PartnerSim.Tests.Interop;

/// <summary>
/// Proof that integrators in other languages can use the contracts: Debian's python3-grpc-tools generates a
/// client from protos/ and Debian's python3-grpcio calls a real simulator with it.
/// </summary>
public sealed class PythonClientTests(ShanghaiRegionFixture fixture) : IClassFixture<ShanghaiRegionFixture>
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task PythonClient_GeneratedFromProtos_CallsSimulator()
    {
        var host = fixture.Region.Host;
        var insured = host.Population.Insurance.First(i => i.Status == InsuranceStatus.Active && i.Type == InsuranceType.Employee);
        var card = host.Population.Cards.Single(c => c.CitizenId == insured.CitizenId);
        var generated = Directory.CreateTempSubdirectory("exchange-py-").FullName;
        try
        {
            var protos = ProtosDirectory();
            var protoFiles = Directory.GetFiles(protos, "*.proto", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(protos, f));
            var generate = await RunAsync(Python, ["-m", "grpc_tools.protoc", "-I", protos, "--python_out", generated, "--grpc_python_out", generated, .. protoFiles]);
            Assert.True(generate.ExitCode == 0, generate.Error);

            var script = Path.Combine(AppContext.BaseDirectory, "Interop", "partner_client.py");
            var run = await RunAsync(Python, [script, generated, $"{host.Address.Host}:{host.Address.Port}", insured.CitizenId, host.RegionCode]);
            Assert.True(run.ExitCode == 0, run.Error);

            using var json = JsonDocument.Parse(run.Output);
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
        finally
        {
            Directory.Delete(generated, recursive: true);
        }
    }

    private static string CardStatusName(CardStatus status) =>
        CardReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("CardStatus").FindValueByNumber((int)status).Name;

    private static string ProtosDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "protos");
            if (File.Exists(Path.Combine(candidate, "exchange", "v1", "annotations.proto")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("protos/ not found above the test output directory");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
