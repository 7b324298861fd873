namespace Exchange.PartnerSim.Hosting;

/// <summary>
/// The simulated region's clock. Business days (settlement dates, publication periods, certification dates) are
/// China Standard Time (UTC+8) days, whatever the machine's zone.
/// </summary>
public sealed class RegionClock(TimeProvider time)
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>The time source; a <c>FakeTimeProvider</c> in tests.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Now, in UTC.</summary>
    public DateTimeOffset UtcNow => Time.GetUtcNow();

    /// <summary>Today's date in UTC+8.</summary>
    public DateOnly Today => DateOnly.FromDateTime(UtcNow.ToOffset(ChinaStandardTime).DateTime);

    /// <summary>The UTC+8 date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(ChinaStandardTime).DateTime);
}
