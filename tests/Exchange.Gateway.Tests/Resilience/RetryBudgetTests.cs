using Exchange.Gateway.Resilience;

namespace Exchange.Gateway.Tests.Resilience;

/// <summary>The retry budget: gRPC's retry throttling (10 tokens, ratio 0.1, retries only above half), charged per call.</summary>
public sealed class RetryBudgetTests
{
    [Fact]
    public void NewBudget_IsFull_AndAllowsRetries()
    {
        var budget = new RetryBudget(10, 0.1);

        Assert.Equal(10, budget.Tokens);
        Assert.True(budget.AllowsRetry);
    }

    [Fact]
    public void FailedCalls_TakeOneTokenEach_AndRetriesStopAtHalfTheBucket()
    {
        var budget = new RetryBudget(10, 0.1);

        for (var i = 0; i < 4; i++)
        {
            budget.RecordFailure();
        }

        Assert.Equal(6, budget.Tokens);
        Assert.True(budget.AllowsRetry);

        budget.RecordFailure();

        Assert.Equal(5, budget.Tokens);
        Assert.False(budget.AllowsRetry);
    }

    [Fact]
    public void AnsweredCalls_GiveBackTheRatio_UntilRetriesResume()
    {
        var budget = new RetryBudget(10, 0.1);
        for (var i = 0; i < 6; i++)
        {
            budget.RecordFailure();
        }

        for (var i = 0; i < 10; i++)
        {
            budget.RecordAnswer();
        }

        Assert.Equal(5, budget.Tokens, precision: 6);
        Assert.False(budget.AllowsRetry);

        budget.RecordAnswer();

        Assert.Equal(5.1, budget.Tokens, precision: 6);
        Assert.True(budget.AllowsRetry);
    }

    [Fact]
    public void Tokens_StayBetweenZeroAndTheBucketSize()
    {
        var budget = new RetryBudget(10, 0.1);

        for (var i = 0; i < 25; i++)
        {
            budget.RecordFailure();
        }

        Assert.Equal(0, budget.Tokens);
        for (var i = 0; i < 500; i++)
        {
            budget.RecordAnswer();
        }

        Assert.Equal(10, budget.Tokens);
    }

    [Fact]
    public void ConcurrentUpdates_AreAllCounted()
    {
        var budget = new RetryBudget(1000, 0.1);

        Parallel.For(0, 400, _ => budget.RecordFailure());

        Assert.Equal(600, budget.Tokens);
    }
}
