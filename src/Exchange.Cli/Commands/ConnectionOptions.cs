using System.CommandLine;

namespace Exchange.Cli.Commands;

/// <summary>The options every command that calls the gateway takes.</summary>
internal sealed class ConnectionOptions
{
    public Option<string> Gateway { get; } = new("--gateway")
    {
        Description = "Address of the gateway (https)",
        DefaultValueFactory = _ => SandboxDefaults.GatewayAddress,
    };

    public Option<string> Pki { get; } = new("--pki")
    {
        Description = "Directory of the development PKI (client certificates and the CA)",
        DefaultValueFactory = _ => SandboxDefaults.PkiDirectory,
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Gateway);
        command.Options.Add(Pki);
    }

    /// <summary>The gateway address, or why it is not usable.</summary>
    public static bool TryParseAddress(string text, out Uri? address, out string? error)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out address) || address.Scheme != Uri.UriSchemeHttps)
        {
            address = null;
            error = $"--gateway '{text}': must be an https:// address (the gateway is reached over mutual TLS)";
            return false;
        }

        error = null;
        return true;
    }
}
