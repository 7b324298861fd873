namespace Exchange.Pki;

/// <summary>What a development PKI issues certificates for.</summary>
/// <param name="CountyRegion">
/// GB/T 2260 code of the county the gateway serves (e.g. "341021"); it names the gateway's client certificate
/// (CN=exchange-gateway-&lt;code&gt;), which the gateway presents to partner regions.
/// </param>
/// <param name="RegionCodes">GB/T 2260 codes of the simulated partner regions; each gets a server certificate.</param>
/// <param name="ParticipantIds">
/// Participants that call the gateway; each gets a client certificate whose subject CN is the id. Ids are 1 to 64
/// characters of lower-case letters, digits, '.', '_' and '-', starting with a letter or digit (they name files).
/// </param>
public sealed record DevelopmentPkiPlan(string CountyRegion, IReadOnlyList<string> RegionCodes, IReadOnlyList<string> ParticipantIds)
{
    /// <summary>
    /// Every way the plan is unusable, each naming the offending value; empty when it can be issued. Collects all
    /// errors instead of stopping at the first, so one run of a tool reports everything to fix.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsRegionCode(CountyRegion))
        {
            errors.Add($"county region '{CountyRegion}': must be a 6-digit GB/T 2260 code");
        }

        foreach (var code in RegionCodes ?? [])
        {
            if (!IsRegionCode(code))
            {
                errors.Add($"region '{code}': must be a 6-digit GB/T 2260 code");
            }
        }

        foreach (var id in ParticipantIds ?? [])
        {
            if (!IsParticipantId(id))
            {
                errors.Add($"participant '{id}': must be 1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
            }
        }

        AddDuplicates(errors, "region", RegionCodes);
        AddDuplicates(errors, "participant", ParticipantIds);
        return errors;
    }

    /// <summary>Whether <paramref name="id"/> can name a participant (and so a file).</summary>
    public static bool IsParticipantId(string? id) =>
        !string.IsNullOrEmpty(id)
        && id.Length <= 64
        && (char.IsAsciiLetterLower(id[0]) || char.IsAsciiDigit(id[0]))
        && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

    /// <summary>Whether <paramref name="code"/> has the shape of a GB/T 2260 code (six digits).</summary>
    public static bool IsRegionCode(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);

    private static void AddDuplicates(List<string> errors, string kind, IReadOnlyList<string>? values)
    {
        foreach (var duplicate in (values ?? []).GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{kind} '{duplicate.Key}': listed {duplicate.Count()} times");
        }
    }
}
