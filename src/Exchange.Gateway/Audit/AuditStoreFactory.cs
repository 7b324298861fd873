namespace Exchange.Gateway.Audit;

/// <summary>Makes the store <see cref="AuditOptions.Store"/> names.</summary>
internal static class AuditStoreFactory
{
    /// <summary>
    /// The configured store; not yet initialised (<see cref="AuditTrail.StartAsync"/> does that).
    /// <paramref name="sqlitePath"/> is the resolved SQLite file when <see cref="AuditOptions.SqlitePath"/> is relative
    /// or unset.
    /// </summary>
    public static IAuditStore Create(AuditOptions options, string? sqlitePath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Store switch
        {
            AuditStoreKind.Sqlite => new SqliteAuditStore(sqlitePath ?? options.SqlitePath ?? throw new ArgumentException("the SQLite path must be set", nameof(sqlitePath))),
            AuditStoreKind.Postgres => new PostgresAuditStore(
                options.PostgresConnectionString ?? throw new ArgumentException("the PostgreSQL connection string must be set", nameof(options)),
                options.PostgresSchema),
            _ => throw new ArgumentException($"'{options.Store}' is not a known store", nameof(options)),
        };
    }
}
