using Exchange.Cli.Demo;
using Exchange.PartnerSim.Hosting;
using Grpc.Core;
using Grpc.Net.Client;

namespace Exchange.Cli.Tests.Demo;

/// <summary>The demo's logic against the six simulated regions of the sandbox, behind a routing stand-in for the gateway.</summary>
public sealed class SandboxDemoTests : IAsyncLifetime
{
    private readonly List<PartnerRegionHost> _hosts = [];
    private readonly List<GrpcChannel> _channels = [];
    private RegionRoutingInvoker? _router;

    public async Task InitializeAsync()
    {
        var starting = SandboxDefaults.RegionCodes.Select(code => PartnerRegionHost.StartAsync(new PartnerRegionOptions
        {
            RegionCode = code,
            ArchiveSearchDelay = TimeSpan.FromMilliseconds(50),
        }));
        _hosts.AddRange(await Task.WhenAll(starting));
        _channels.AddRange(_hosts.Select(h => GrpcChannel.ForAddress(h.Address)));
        _router = new RegionRoutingInvoker(_hosts.Zip(_channels).ToDictionary(p => p.First.RegionCode, p => p.Second.CreateCallInvoker()));
    }

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task RunAsync_AllRegionsUp_EveryExchangeSucceeds()
    {
        using var output = new StringWriter();
        var callers = new List<string>();

        var summary = await new SandboxDemo(Recording(callers), output).RunAsync();

        Assert.True(summary.AllSucceeded, output.ToString());
        Assert.Equal(5, summary.Exchanges);
        Assert.EndsWith("5 exchanges, 5 succeeded" + Environment.NewLine, output.ToString(), StringComparison.Ordinal);
        Assert.Equal(
            ["county-hospital", "county-credit-office", "county-archive", "hangzhou-museum", "shanghai-platform"],
            callers.Distinct());
        Assert.Equal(SandboxDemo.Participants, callers.Distinct());
        Assert.All(SandboxDemo.Participants, p => Assert.Contains(p, SandboxDefaults.Participants));
    }

    [Fact]
    public async Task RunAsync_PrintsBothDirectionsAndKeyNumbers()
    {
        using var output = new StringWriter();

        var summary = await new SandboxDemo(_ => _router!, output).RunAsync();
        var text = output.ToString();

        Assert.True(summary.AllSucceeded, text);
        var lines = text.Split(Environment.NewLine);
        Assert.Equal("county → partner", lines[0]);
        Assert.Equal("partner → county", lines[4]);
        Assert.StartsWith("  [ok]     county-hospital → 310000: pre-settles and settles a Shanghai-insured patient's outpatient bill: pre-settled: fund ¥", lines[1], StringComparison.Ordinal);
        Assert.Contains("read back by msgid: SETTLED", lines[1], StringComparison.Ordinal);
        Assert.Contains("310000 answered (", lines[2], StringComparison.Ordinal);
        Assert.Contains("340000 answered (", lines[2], StringComparison.Ordinal);
        Assert.Contains("SUBMITTED → ", lines[3], StringComparison.Ordinal);
        Assert.Contains("CERTIFICATE_ISSUED in ", lines[3], StringComparison.Ordinal);
        Assert.Contains("the archive confirms it valid", lines[3], StringComparison.Ordinal);
        Assert.Contains("card valid (NORMAL)", lines[5], StringComparison.Ordinal);
        Assert.StartsWith("  [ok]     shanghai-platform → 341021: ", lines[6], StringComparison.Ordinal);
        Assert.Contains("fund would pay ¥", lines[6], StringComparison.Ordinal);
        Assert.Contains(_router!.Calls, c => c == ("/exchange.medical.v1.CrossRegionSettlementService/Settle", "310000"));
        Assert.Contains(_router.Calls, c => c == ("/exchange.archive.v1.ArchiveService/WatchArchiveLookup", "330000"));
        Assert.Contains(_router.Calls, c => c == ("/exchange.medical.v1.CrossRegionSettlementService/PreSettle", "341021"));
    }

    [Fact]
    public async Task RunAsync_Output_NamesNoPersonAndNoCitizenId()
    {
        using var output = new StringWriter();

        await new SandboxDemo(_ => _router!, output).RunAsync();
        var text = output.ToString();

        foreach (var resident in _hosts.SelectMany(h => h.Population.Residents))
        {
            Assert.DoesNotContain(resident.CitizenId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(resident.Name, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(_hosts.SelectMany(h => h.Population.Cards), c => text.Contains(c.CardNumber, StringComparison.Ordinal));
        Assert.DoesNotContain(_hosts.SelectMany(h => h.Population.Insurance), i => text.Contains(i.PersonNumber, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_OneRegionDown_ReportsThatExchangeAndRunsTheOthers()
    {
        await _hosts.Single(h => h.RegionCode == "330000").StopAsync();
        using var output = new StringWriter();

        var summary = await new SandboxDemo(_ => _router!, output, options: new SandboxDemoOptions { CallTimeout = TimeSpan.FromSeconds(5) }).RunAsync();

        Assert.False(summary.AllSucceeded);
        var failed = Assert.Single(summary.Outcomes, o => !o.Succeeded);
        Assert.Equal(("county-archive", "330000"), (failed.Caller, failed.Target));
        Assert.StartsWith("error UNAVAILABLE: ", failed.Detail, StringComparison.Ordinal);
        var credit = Assert.Single(summary.Outcomes, o => o.Caller == "county-credit-office");
        Assert.True(credit.Succeeded, credit.Detail); // the fan-out goes on without the region, and says so
        Assert.Contains("330000 UNAVAILABLE (", credit.Detail, StringComparison.Ordinal);
        Assert.Contains("  [FAILED] county-archive → 330000: ", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("5 exchanges, 4 succeeded" + Environment.NewLine, output.ToString(), StringComparison.Ordinal);
    }

    private Func<string, CallInvoker> Recording(List<string> callers) => participant =>
    {
        callers.Add(participant);
        return _router!;
    };
}
