using Exchange.Gateway.Configuration;
using Exchange.Gateway.Sandbox;

namespace Exchange.Gateway.Hosting;

/// <summary>Runs the gateway from configuration (appsettings.json, EXCHANGE__* environment variables, command line).</summary>
internal static class GatewayCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();

        await using var sandbox = options.Sandbox.Enabled ? await SandboxEnvironment.StartAsync(options).ConfigureAwait(false) : null;
        GatewayHost host;
        try
        {
            host = await GatewayHost.StartAsync(sandbox?.Options ?? options).ConfigureAwait(false);
        }
        catch (GatewayConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        await using (host)
        {
            PrintBanner(host, sandbox);
            await host.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static void PrintBanner(GatewayHost host, SandboxEnvironment? sandbox)
    {
        Console.WriteLine($"Exchange gateway {host.Options.NodeId} listening on {host.Address} (HTTP/2, mTLS).");
        foreach (var region in host.Options.Regions)
        {
            Console.WriteLine($"  route {region.Code} {region.Name} -> {string.Join(", ", region.Endpoints)}");
        }

        var audit = Audit.AuditSetup.Resolve(host.Options);
        Console.WriteLine(audit.Store == Audit.AuditStoreKind.Postgres
            ? $"Audit trail of node {audit.NodeId}: PostgreSQL schema {audit.PostgresSchema}."
            : $"Audit trail of node {audit.NodeId}: {audit.SqlitePath} (check it: exchange audit verify).");
        if (sandbox is null)
        {
            return;
        }

        Console.WriteLine($"Sandbox: simulated regions in-process; development PKI in {sandbox.Pki.Directory}.");
        Console.WriteLine("Try, from the repository root:");
        Console.WriteLine("  dotnet run --project src/Exchange.Cli -- demo");
        Console.WriteLine("  dotnet run --project src/Exchange.Cli -- call CrossRegionSettlementService/GetInsuredPerson --json '{...}'");
        Console.WriteLine("Press Ctrl+C to stop.");
    }
}
