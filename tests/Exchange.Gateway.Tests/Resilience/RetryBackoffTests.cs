using Exchange.Gateway.Resilience;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>Exponential backoff with jitter: the ceiling doubles up to the maximum, the delay lies in its upper half.</summary>
public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    [InlineData(5, 1000)]
    [InlineData(60, 1000)]
    public void CeilingBefore_GrowsByTheMultiplier_UpToTheMaximum(int retry, int expectedMilliseconds)
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 2, () => 0.5);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), backoff.CeilingBefore(retry));
    }

    [Theory]
    [InlineData(0.0, 200)]
    [InlineData(1.0, 400)]
    [InlineData(0.5, 300)]
    public void DelayBefore_JitterSpansTheUpperHalfOfTheCeiling(double draw, int expectedMilliseconds)
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 2, () => draw);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), backoff.DelayBefore(3));
    }

    [Fact]
    public void DelayBefore_ManyRandomDraws_AllWithinHalfTheCeilingAndTheCeiling()
    {
        var random = new Random(2260);
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 2, random.NextDouble);

        for (var retry = 1; retry <= 6; retry++)
        {
            var ceiling = backoff.CeilingBefore(retry);
            var delays = Enumerable.Range(0, 1000).Select(_ => backoff.DelayBefore(retry)).ToArray();
            Assert.All(delays, delay => Assert.InRange(delay, ceiling / 2, ceiling));
            // Jittered: retries of calls that failed together do not come back together.
            Assert.True(delays.Distinct().Count() > 900, $"retry {retry}: delays are not spread");
        }
    }

    [Fact]
    public void DelayBefore_ZeroBaseDelay_IsZero()
    {
        var backoff = new RetryBackoff(TimeSpan.Zero, TimeSpan.Zero, 2, () => 1);

        Assert.Equal(TimeSpan.Zero, backoff.DelayBefore(1));
        Assert.Equal(TimeSpan.Zero, backoff.DelayBefore(4));
    }
}
