namespace Exchange.Gateway.Configuration;

/// <summary>Where the idempotency store keeps its entries.</summary>
public enum IdempotencyStoreKind
{
    /// <summary>One SQLite file on the gateway's disk: the embedded default for a single gateway.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every replica of the gateway.</summary>
    Postgres,
}

/// <summary>
/// The exactly-once treatment of side-effecting methods (section "Exchange:Idempotency"): where the record of each
/// (caller, method, request_id) is kept, how long, and how long one gateway owns an exchange it is forwarding.
/// </summary>
public sealed record IdempotencyOptions
{
    /// <summary>The store. Default <see cref="IdempotencyStoreKind.Sqlite"/>.</summary>
    public IdempotencyStoreKind Store { get; init; } = IdempotencyStoreKind.Sqlite;

    /// <summary>
    /// The SQLite file (Store = Sqlite). Default null: <c>gateway.db</c> in <see cref="SandboxOptions.StateDirectory"/>
    /// (".exchange/gateway.db"). A relative path is resolved as the state directory is: from the repository root
    /// inside a checkout, otherwise from the current directory. The directory is created if missing.
    /// </summary>
    public string? SqlitePath { get; init; }

    /// <summary>
    /// Npgsql connection string of the shared database (Store = Postgres), e.g.
    /// "Host=db;Username=exchange;Password=…;Database=exchange". Required for Postgres.
    /// </summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>
    /// PostgreSQL schema holding the table <c>idempotency_entries</c>; created if missing. Default "exchange".
    /// Lower-case letters, digits and '_' only (it is written into SQL as an identifier).
    /// </summary>
    public string PostgresSchema { get; init; } = "exchange";

    /// <summary>
    /// How long an entry is kept after its last change. Default 7 days: the reconciliation horizon of cross-region
    /// settlement (a day's settlements are reconciled, and disputed ones resolved or reversed, well within a week), so
    /// a client resolving an unknown outcome by resending its request_id within that time is still answered from the
    /// record. After it, a resend is forwarded again under the same request_id, and the partner's own deduplication
    /// answers it.
    /// </summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a gateway owns an exchange it is forwarding before another gateway (or the same one after a crash)
    /// may take it over and resend it under the same request_id. Must exceed the longest forward
    /// (<see cref="OutboundOptions.DefaultTimeout"/>), or a slow forward could be resent while still running.
    /// Default 2 minutes.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often expired entries are deleted. Default 1 hour.</summary>
    public TimeSpan PurgeInterval { get; init; } = TimeSpan.FromHours(1);
}
