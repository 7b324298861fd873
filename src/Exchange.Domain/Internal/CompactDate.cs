namespace Exchange.Domain.Internal;

/// <summary>
/// Reads the separator-free dates identifiers carry (yyyyMMdd, yyyyMMddHHmmss). The digits are checked by the caller;
/// this only decides whether they name a real calendar date, so 19490230 is rejected rather than rolled over.
/// </summary>
internal static class CompactDate
{
    /// <summary>Reads yyyyMMdd from eight ASCII digits.</summary>
    public static bool TryReadDate(ReadOnlySpan<char> digits, out DateOnly date)
    {
        var year = AsciiDigits.Parse(digits[..4]);
        var month = AsciiDigits.Parse(digits.Slice(4, 2));
        var day = AsciiDigits.Parse(digits.Slice(6, 2));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            date = default;
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>Reads yyyyMMddHHmmss from fourteen ASCII digits; the result carries no time zone.</summary>
    public static bool TryReadDateTime(ReadOnlySpan<char> digits, out DateTime timestamp)
    {
        var hour = AsciiDigits.Parse(digits.Slice(8, 2));
        var minute = AsciiDigits.Parse(digits.Slice(10, 2));
        var second = AsciiDigits.Parse(digits.Slice(12, 2));
        if (!TryReadDate(digits[..8], out var date) || hour > 23 || minute > 59 || second > 59)
        {
            timestamp = default;
            return false;
        }

        timestamp = date.ToDateTime(new TimeOnly(hour, minute, second), DateTimeKind.Unspecified);
        return true;
    }
}
