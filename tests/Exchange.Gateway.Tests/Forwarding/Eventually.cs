namespace Exchange.Gateway.Tests.Forwarding;

/// <summary>Waits for a condition another thread or process makes true (never for time to pass).</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after 10 seconds.</summary>
    public static async Task True(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            try
            {
                await Task.Delay(10, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"gave up waiting until {what}");
            }
        }
    }
}
