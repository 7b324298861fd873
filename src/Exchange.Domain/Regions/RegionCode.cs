using Exchange.Domain.Internal;

namespace Exchange.Domain.Regions;

/// <summary>
/// Validates a GB/T 2260 division code as used for routing (insured region, treatment region, issuing region):
/// six digits that name a division in <see cref="RegionTable.Default"/>. Retired codes are rejected here, unlike
/// inside citizen IDs, because a route must point at a division that exists today.
/// </summary>
public static class RegionCode
{
    private const string WrongFormat = "must be 6 digits";
    private const string Unknown = "names no known region";

    /// <summary>Checks <paramref name="value"/>, explaining a failure without repeating the value.</summary>
    /// <param name="value">Candidate code; may be <see langword="null"/>.</param>
    /// <param name="error">Why the code is invalid; <see langword="null"/> when it is valid.</param>
    /// <returns><see langword="true"/> when the code is valid.</returns>
    public static bool TryParse(string? value, out string? error)
    {
        error = Validate(value);
        return error is null;
    }

    /// <summary>Whether <paramref name="value"/> is a valid code; allocates nothing.</summary>
    /// <param name="value">Candidate code; may be <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the code is valid.</returns>
    public static bool IsValid(string? value) => Validate(value) is null;

    private static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return CommonErrors.Required;
        }

        if (value.Length != 6 || !CharacterSets.ConsistsOf(value, CharacterSets.Digits))
        {
            return WrongFormat;
        }

        return RegionTable.Default.Contains(value) ? null : Unknown;
    }
}
