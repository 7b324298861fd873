namespace Exchange.Domain.Internal;

/// <summary>
/// Reads fixed-width decimal fields. Identifiers encode numbers as ASCII digits, so culture-aware parsing would only
/// add cost and a chance of accepting non-ASCII digits.
/// </summary>
internal static class AsciiDigits
{
    /// <summary>Value of a span already checked to hold only ASCII digits (at most 9, so it fits an int).</summary>
    public static int Parse(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
