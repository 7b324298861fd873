namespace Exchange.PartnerSim.Tests.Infrastructure;

/// <summary>Waits for a condition that another thread makes true (not for time to pass).</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails after 10 seconds.</summary>
    public static async Task True(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
