using System.Security.Cryptography;
using Exchange.Pki;

namespace Exchange.Cli.Commands;

/// <summary>Loads the development PKI for a command, creating what is missing, and says so when it created anything.</summary>
internal static class PkiSetup
{
    /// <summary>
    /// The sandbox PKI in <paramref name="directory"/> with <paramref name="extraParticipants"/>, or null after
    /// writing why it cannot be had; <paramref name="exitCode"/> is then Usage (a bad participant id) or Failure.
    /// With <paramref name="noteChanges"/>, a line on <paramref name="error"/> says when certificates were created,
    /// since a command that only meant to call would otherwise change a directory silently.
    /// </summary>
    public static DevelopmentPki? TryLoad(string directory, IEnumerable<string> extraParticipants, TextWriter error, out int exitCode, bool noteChanges = true)
    {
        try
        {
            var pki = DevelopmentPki.LoadOrCreate(directory, SandboxDefaults.PkiPlan(extraParticipants));
            var changed = pki.Entries.Count(e => e.Status != PkiEntryStatus.Loaded);
            if (noteChanges && changed > 0)
            {
                error.WriteLine($"note: development PKI in {pki.Directory}: {changed} certificate(s) created or renewed");
            }

            exitCode = ExitCodes.Success;
            return pki;
        }
        catch (ArgumentException invalid)
        {
            error.WriteLine($"error: {invalid.Message}");
            exitCode = ExitCodes.Usage;
        }
        catch (Exception unusable) when (unusable is IOException or UnauthorizedAccessException or TimeoutException or CryptographicException)
        {
            error.WriteLine($"error: cannot use the development PKI in {directory}: {unusable.Message}");
            exitCode = ExitCodes.Failure;
        }

        return null;
    }
}
