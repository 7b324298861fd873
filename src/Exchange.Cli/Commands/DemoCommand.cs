using System.CommandLine;
using Exchange.Cli.Connection;
using Exchange.Cli.Demo;

namespace Exchange.Cli.Commands;

/// <summary><c>exchange demo</c>: realistic traffic of all four exchanges through the sandbox gateway.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var command = new Command("demo", "Drive a mix of all four exchanges, both directions, through the sandbox gateway");
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(connection.Gateway)!,
            parse.GetValue(connection.Pki)!,
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string gateway, string pkiDirectory, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!ConnectionOptions.TryParseAddress(gateway, out var address, out var problem))
        {
            await error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (PkiSetup.TryLoad(pkiDirectory, [], error, out var exitCode) is not { } loaded)
        {
            return exitCode;
        }

        using var pki = loaded;
        using var channels = new ParticipantChannels(address!, pki);
        await output.WriteLineAsync($"sandbox demo through {address} (development PKI {pki.Directory})").ConfigureAwait(false);
        var summary = await new SandboxDemo(channels.For, output).RunAsync(cancellationToken).ConfigureAwait(false);
        if (channels.Check.LastRejection is { } rejection)
        {
            await error.WriteLineAsync($"note: {rejection}").ConfigureAwait(false);
        }

        return summary.AllSucceeded ? ExitCodes.Success : ExitCodes.Failure;
    }
}
