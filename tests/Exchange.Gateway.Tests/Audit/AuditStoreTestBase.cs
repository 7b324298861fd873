namespace Exchange.Gateway.Tests.Audit;

/// <summary>
/// A suite that runs against every store: each derived class names its store, each test gets a database of its own
/// (a SQLite file, or a PostgreSQL schema) that is removed afterwards.
/// </summary>
public abstract class AuditStoreTestBase : IAsyncLifetime
{
    protected AuditStoreHarness Harness { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Harness = CreateHarness();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await DisposeAsyncCore();
        await Harness.DisposeAsync();
    }

    protected virtual Task DisposeAsyncCore() => Task.CompletedTask;

    protected abstract AuditStoreHarness CreateHarness();
}
