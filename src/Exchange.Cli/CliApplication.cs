using System.CommandLine;
using Exchange.Cli.Commands;

namespace Exchange.Cli;

/// <summary>The <c>exchange</c> command line: parses, reports usage errors with exit code 2, runs the command.</summary>
internal static class CliApplication
{
    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Create() =>
        new("exchange: call the gateway, manage the development PKI, drive demo traffic, verify and export the audit trail")
        {
            PkiInitCommand.Create(),
            CallCommand.Create(),
            DemoCommand.Create(),
            new Command("audit", "The gateway's tamper-evident audit trail: verify it, export it")
            {
                AuditVerifyCommand.Create(),
                AuditExportCommand.Create(),
            },
        };

    /// <summary>Runs <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0)
        {
            // A bare "exchange" is a question: answer with the help text, but not with success.
            await Create().Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = error, Error = error }, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("see: exchange --help").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }
}
