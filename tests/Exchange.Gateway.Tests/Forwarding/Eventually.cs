using Grpc.Core;

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

    /// <summary>
    /// Calls until one is answered, pausing 100 ms after each UNAVAILABLE or DEADLINE_EXCEEDED (a breaker lets a probe
    /// through once its break is over, a partner comes back); returns how many calls it took; fails after 30 seconds.
    /// </summary>
    public static async Task<int> AnsweredAsync(Func<Task> call)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var calls = 1; ; calls++)
        {
            try
            {
                await call();
                return calls;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                try
                {
                    await Task.Delay(100, timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"no call was answered within 30 s; the last failed {e.StatusCode}: {e.Status.Detail}");
                }
            }
        }
    }
}
