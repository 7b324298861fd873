using System.Globalization;

namespace Exchange.Gateway.Audit;

/// <summary>
/// Times in the audit trail: UTC, whole microseconds since the Unix epoch. Every store and language keeps that
/// exactly (PostgreSQL's own resolution is the microsecond), so a record read back hashes as it was written.
/// </summary>
internal static class AuditTime
{
    /// <summary>The text form in NDJSON: RFC 3339, UTC, always six fraction digits.</summary>
    public const string TextFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>Microseconds since the Unix epoch (rounded down).</summary>
    public static long ToUnixMicroseconds(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var microseconds = ticks / TicksPerMicrosecond;
        return ticks % TicksPerMicrosecond < 0 ? microseconds - 1 : microseconds;
    }

    /// <summary>The UTC time <paramref name="microseconds"/> after the Unix epoch.</summary>
    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(microseconds * TicksPerMicrosecond);

    /// <summary><paramref name="time"/> in UTC, cut to whole microseconds.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset time) => FromUnixMicroseconds(ToUnixMicroseconds(time));

    /// <summary>RFC 3339 text with six fraction digits.</summary>
    public static string Format(DateTimeOffset time) =>
        Normalize(time).UtcDateTime.ToString(TextFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses <see cref="TextFormat"/> text.</summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        if (text is not null
            && DateTime.TryParseExact(text, TextFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
            return true;
        }

        time = default;
        return false;
    }
}
