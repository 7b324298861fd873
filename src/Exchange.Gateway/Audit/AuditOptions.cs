using System.Text.RegularExpressions;

namespace Exchange.Gateway.Audit;

/// <summary>Where the audit trail keeps its records.</summary>
public enum AuditStoreKind
{
    /// <summary>One SQLite file on the gateway's disk: the embedded default for a single gateway.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every replica of the gateway, each replica with its own chain.</summary>
    Postgres,
}

/// <summary>
/// The tamper-evident audit trail (section "Exchange:Audit" once the gateway reads it): where records are kept, which
/// chain this node writes, the keys, how commits are grouped, when checkpoints are signed and when old records are
/// archived. <see cref="Validate"/> lists every error at once, each naming the offending setting.
/// </summary>
public sealed partial record AuditOptions
{
    /// <summary>The store. Default <see cref="AuditStoreKind.Sqlite"/>.</summary>
    public AuditStoreKind Store { get; init; } = AuditStoreKind.Sqlite;

    /// <summary>
    /// The SQLite file (Store = Sqlite). Default null: <c>audit.db</c> in the gateway's state directory, resolved by
    /// the host. The directory is created if missing.
    /// </summary>
    public string? SqlitePath { get; init; }

    /// <summary>
    /// Npgsql connection string of the shared database (Store = Postgres), e.g.
    /// "Host=db;Username=exchange;Password=…;Database=exchange". Required for Postgres.
    /// </summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>
    /// PostgreSQL schema holding the audit tables; created if missing. Default "exchange_audit". Lower-case letters,
    /// digits and '_' only (it is written into SQL as an identifier).
    /// </summary>
    public string PostgresSchema { get; init; } = "exchange_audit";

    /// <summary>
    /// The chain this gateway writes: one chain per node, so replicas sharing a database never contend for a sequence
    /// number. Must be unique among replicas. Letters, digits, '.', '_' and '-', at most 64. Default null: the host
    /// fills in the gateway's node id.
    /// </summary>
    public string? NodeId { get; init; }

    /// <summary>
    /// Base64 key (at least 32 bytes) of the HMAC-SHA256 over data-subject identifiers. Regions and auditors holding
    /// the key can search by person; without it the hashes reveal nothing. Required.
    /// </summary>
    public string? SubjectHashKey { get; init; }

    /// <summary>
    /// PEM file with the ECDSA P-256 private key (PKCS#8) that signs checkpoints. Required; the sandbox generates a
    /// development key (and its public key beside it, <c>.pub.pem</c>) on first run.
    /// </summary>
    public string? CheckpointKeyPath { get; init; }

    /// <summary>A checkpoint is signed after at most this many records. Default 1000.</summary>
    public int CheckpointEveryRecords { get; init; } = 1000;

    /// <summary>
    /// A checkpoint is signed at most this long after the first record it covers was written, even without traffic.
    /// Default 60 seconds: the tail an attacker could cut off undetected is at most this old.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most records written in one transaction (one flush). Default 512.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>
    /// How long the writer waits for more records before flushing a batch that is not full. Default zero: records
    /// that arrive while a flush is running form the next batch, which already groups commits under load without
    /// delaying a lone exchange.
    /// </summary>
    public TimeSpan Linger { get; init; } = TimeSpan.Zero;

    /// <summary>Records waiting for the writer before appends wait for room. Default 16384.</summary>
    public int QueueCapacity { get; init; } = 16384;

    /// <summary>
    /// Longest one flush may take before it counts as failed (the store is then reported unavailable). Default 10
    /// seconds; at most one day.
    /// </summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an unavailable store is tried again. Default 1 second.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Records received longer ago than this are moved from the store to archive files. Default 180 days.
    /// </summary>
    public TimeSpan RetentionPeriod { get; init; } = TimeSpan.FromDays(180);

    /// <summary>How often the host runs retention. Default 1 hour.</summary>
    public TimeSpan RetentionCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Directory of the archive files (one subdirectory per node). Default null: <c>audit-archive</c> in the
    /// gateway's state directory, resolved by the host.
    /// </summary>
    public string? ArchiveDirectory { get; init; }

    /// <summary>Most records in one archive file. Default 100000.</summary>
    public int ArchiveRecordsPerFile { get; init; } = 100_000;

    /// <summary>Longest <see cref="WriteTimeout"/> accepted: one day.</summary>
    public static readonly TimeSpan MaxWriteTimeout = TimeSpan.FromDays(1);

    /// <summary>Whether <paramref name="nodeId"/> may name a chain (and an archive subdirectory).</summary>
    public static bool IsNodeId(string? nodeId) => nodeId is not null && NodeIdPattern().IsMatch(nodeId);

    /// <summary>Every error in these options, each naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Store == AuditStoreKind.Postgres)
        {
            if (string.IsNullOrWhiteSpace(PostgresConnectionString))
            {
                errors.Add("Audit.PostgresConnectionString: must be set when Store is Postgres");
            }

            if (!Storage.PostgresSchema.IsName(PostgresSchema))
            {
                errors.Add($"Audit.PostgresSchema: '{PostgresSchema}' is not a lower-case SQL identifier");
            }
        }
        else if (Store != AuditStoreKind.Sqlite)
        {
            errors.Add($"Audit.Store: '{Store}' is not a known store");
        }

        if (!IsNodeId(NodeId))
        {
            errors.Add($"Audit.NodeId: '{NodeId}' must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
        }

        CheckSubjectHashKey(errors);
        if (string.IsNullOrWhiteSpace(CheckpointKeyPath))
        {
            errors.Add("Audit.CheckpointKeyPath: must be set");
        }

        Positive(CheckpointEveryRecords, "CheckpointEveryRecords", errors);
        Positive(CheckpointInterval, "CheckpointInterval", errors);
        Positive(BatchSize, "BatchSize", errors);
        if (Linger < TimeSpan.Zero)
        {
            errors.Add($"Audit.Linger: {Linger} must not be negative");
        }

        Positive(QueueCapacity, "QueueCapacity", errors);
        Positive(WriteTimeout, "WriteTimeout", errors);
        if (WriteTimeout > MaxWriteTimeout)
        {
            errors.Add($"Audit.WriteTimeout: {WriteTimeout} must be at most {MaxWriteTimeout}");
        }

        Positive(RetryInterval, "RetryInterval", errors);
        Positive(RetentionPeriod, "RetentionPeriod", errors);
        Positive(RetentionCheckInterval, "RetentionCheckInterval", errors);
        Positive(ArchiveRecordsPerFile, "ArchiveRecordsPerFile", errors);
        return errors;
    }

    /// <summary>The decoded subject-hash key.</summary>
    /// <exception cref="InvalidOperationException">The key is missing, not base64 or too short.</exception>
    public byte[] SubjectHashKeyBytes()
    {
        var errors = new List<string>();
        var key = CheckSubjectHashKey(errors);
        return key ?? throw new InvalidOperationException(errors[0]);
    }

    private byte[]? CheckSubjectHashKey(List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(SubjectHashKey))
        {
            errors.Add("Audit.SubjectHashKey: must be set (base64, at least 32 bytes)");
            return null;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(SubjectHashKey);
        }
        catch (FormatException)
        {
            errors.Add("Audit.SubjectHashKey: is not base64");
            return null;
        }

        if (key.Length < Exchange.Domain.Privacy.KeyedHash.MinimumKeyLength)
        {
            errors.Add($"Audit.SubjectHashKey: {key.Length} bytes; at least {Exchange.Domain.Privacy.KeyedHash.MinimumKeyLength} are needed");
            return null;
        }

        return key;
    }

    private static void Positive(int value, string name, List<string> errors)
    {
        if (value <= 0)
        {
            errors.Add($"Audit.{name}: {value} must be positive");
        }
    }

    private static void Positive(TimeSpan value, string name, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"Audit.{name}: {value} must be positive");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeIdPattern();
}
