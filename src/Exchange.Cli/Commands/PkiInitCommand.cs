using System.CommandLine;
using System.Globalization;
using Exchange.Pki;

namespace Exchange.Cli.Commands;

/// <summary><c>exchange pki init [--dir DIR] [--participant ID]...</c>: makes (or completes) the development PKI.</summary>
internal static class PkiInitCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--dir")
        {
            Description = "Directory of the development PKI",
            DefaultValueFactory = _ => SandboxDefaults.PkiDirectory,
        };
        var participants = new Option<string[]>("--participant")
        {
            Description = "An extra participant to issue a client certificate for (repeatable)",
            DefaultValueFactory = _ => [],
        };
        var init = new Command("init", "Create the development CA and certificates that are missing; load the rest") { directory, participants };
        init.SetAction(parse => Run(parse.GetValue(directory)!, parse.GetValue(participants) ?? [], parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return new Command("pki", "The sandbox's development PKI") { init };
    }

    private static int Run(string directory, string[] extraParticipants, TextWriter output, TextWriter error)
    {
        // No note: the listing below says what was created.
        if (PkiSetup.TryLoad(directory, extraParticipants, error, out var exitCode, noteChanges: false) is not { } pki)
        {
            return exitCode;
        }

        using (pki)
        {
            output.WriteLine($"development PKI in {pki.Directory}");
            var width = pki.Entries.Max(e => e.Name.Length);
            foreach (var entry in pki.Entries)
            {
                var status = entry.Status.ToString().ToLowerInvariant();
                var reason = entry.Reason is null ? string.Empty : $" ({entry.Reason})";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {status,-8} {entry.Name.PadRight(width)}  CN={entry.CommonName}, until {entry.NotAfter:yyyy-MM-dd}{reason}"));
            }

            var created = pki.Entries.Count(e => e.Status != PkiEntryStatus.Loaded);
            output.WriteLine(created == 0
                ? "nothing to do: every certificate was present and valid"
                : $"{created} certificate(s) written; trust anchor: {pki.CaCertificatePath}");
        }

        return ExitCodes.Success;
    }
}
