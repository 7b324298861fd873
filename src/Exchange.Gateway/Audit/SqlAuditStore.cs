using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Grpc.Core;

namespace Exchange.Gateway.Audit;

/// <summary>
/// The SQL both stores share: four tables (records, a subject-hash index, checkpoints, one row per node with its
/// archive mark), <c>@name</c> parameters, times as integer microseconds since the Unix epoch (UTC), hashes as raw
/// bytes. Records are keyed by (node, sequence), so a sequence is written once. Derived classes open connections, make
/// the schema, make a transaction durable and insert a batch of records the fastest way their database allows.
/// </summary>
internal abstract class SqlAuditStore : IAuditStore
{
    /// <summary>Record columns, in the order <see cref="ReadRecord"/> reads them.</summary>
    protected const string RecordColumns =
        "node, sequence, encoding_version, exchange_id, parent_exchange_id, trace_id, caller, target_region, target_endpoint, "
        + "service, method, purpose, subject_hashes, request_sha256, request_size, request_messages, response_sha256, "
        + "response_size, response_messages, status_code, outcome, attempts, received_at, forwarded_at, answered_at, previous_hash, hash";

    private const string CheckpointColumns = "node, sequence, record_hash, created_at, key_id, signature";

    /// <summary>A table's name as SQL writes it (schema-qualified where the database has schemas).</summary>
    protected abstract string Table(string name);

    /// <summary>The records table.</summary>
    protected string Records => Table("audit_records");

    /// <summary>The subject-hash index: (subject_hash, node, sequence), one row per subject of a record.</summary>
    protected string Subjects => Table("audit_subjects");

    /// <summary>The checkpoints table.</summary>
    protected string Checkpoints => Table("audit_checkpoints");

    /// <summary>One row per node: its archive mark and when it last proved the store writable.</summary>
    protected string Nodes => Table("audit_nodes");

    /// <inheritdoc />
    public virtual async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await CreateSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task AppendAsync(string node, IReadOnlyList<AuditRecord> records, AuditCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0 && checkpoint is null)
        {
            return;
        }

        foreach (var record in records)
        {
            if (!string.Equals(record.Node, node, StringComparison.Ordinal))
            {
                throw new ArgumentException($"record {record.Sequence} belongs to node '{record.Node}', not '{node}'", nameof(records));
            }
        }

        try
        {
            await InTransactionAsync(
                BeginAppendAsync,
                async (connection, transaction) =>
                {
                    // Called with no records too: it comes first in every append transaction (see BeginAppendAsync).
                    await InsertRecordsAsync(connection, transaction, records, cancellationToken).ConfigureAwait(false);
                    if (checkpoint is not null)
                    {
                        await InsertCheckpointAsync(connection, transaction, checkpoint, cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            OnFailure();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task TouchAsync(string node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await InDurableTransactionAsync(
                async (connection, transaction) =>
                {
                    await ExecuteAsync(
                        connection,
                        transaction,
                        $"""
                        INSERT INTO {Nodes} (node, archived_through, archived_hash, touched_at) VALUES (@node, 0, @zero, @now)
                        ON CONFLICT (node) DO UPDATE SET touched_at = excluded.touched_at
                        """,
                        cancellationToken,
                        ("node", node),
                        ("zero", AuditHash.Zero.ToArray()),
                        ("now", AuditTime.ToUnixMicroseconds(now))).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            OnFailure();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<AuditChainHead> ReadHeadAsync(string node, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, $"SELECT sequence, hash FROM {Records} WHERE node = @node ORDER BY sequence DESC LIMIT 1", ("node", node));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return new AuditChainHead(reader.GetInt64(0), AuditHash.FromBytes(reader.GetFieldValue<byte[]>(1)));
                }
            }

            return (await ReadMarkAsync(connection, node, cancellationToken).ConfigureAwait(false)).Head;
        }
    }

    /// <inheritdoc />
    public async Task<AuditCheckpoint?> ReadLastCheckpointAsync(string node, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, $"SELECT {CheckpointColumns} FROM {Checkpoints} WHERE node = @node ORDER BY sequence DESC LIMIT 1", ("node", node));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadCheckpoint(reader) : null;
            }
        }
    }

    /// <inheritdoc />
    public async Task<AuditArchiveMark> ReadArchiveMarkAsync(string node, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadMarkAsync(connection, node, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ReadNodesAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(
                connection,
                null,
                $"SELECT node FROM {Nodes} UNION SELECT DISTINCT node FROM {Records} UNION SELECT DISTINCT node FROM {Checkpoints}");
            var nodes = new List<string>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    nodes.Add(reader.GetString(0));
                }
            }

            nodes.Sort(StringComparer.Ordinal);
            return nodes;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditRecord> ReadChainAsync(string node, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(
                connection,
                null,
                $"SELECT {RecordColumns} FROM {Records} WHERE node = @node AND sequence > @after ORDER BY sequence",
                ("node", node),
                ("after", afterSequence));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return ReadRecord(reader);
                }
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditCheckpoint> ReadCheckpointsAsync(string node, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, $"SELECT {CheckpointColumns} FROM {Checkpoints} WHERE node = @node ORDER BY sequence", ("node", node));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return ReadCheckpoint(reader);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<bool> RemoveArchivedAsync(AuditArchiveMark previous, AuditArchiveMark mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(mark);
        if (!string.Equals(previous.Node, mark.Node, StringComparison.Ordinal) || mark.Sequence <= previous.Sequence)
        {
            throw new ArgumentException("the new mark must be further along the same node's chain", nameof(mark));
        }

        var node = mark.Node;
        return await InDurableTransactionAsync(
            async (connection, transaction) =>
            {
                await ExecuteAsync(
                    connection,
                    transaction,
                    $"INSERT INTO {Nodes} (node, archived_through, archived_hash, touched_at) VALUES (@node, 0, @zero, NULL) ON CONFLICT (node) DO NOTHING",
                    cancellationToken,
                    ("node", node),
                    ("zero", AuditHash.Zero.ToArray())).ConfigureAwait(false);
                var moved = await ExecuteAsync(
                    connection,
                    transaction,
                    $"UPDATE {Nodes} SET archived_through = @sequence, archived_hash = @hash WHERE node = @node AND archived_through = @previous AND archived_hash = @previous_hash",
                    cancellationToken,
                    ("node", node),
                    ("sequence", mark.Sequence),
                    ("hash", mark.Hash.ToArray()),
                    ("previous", previous.Sequence),
                    ("previous_hash", previous.Hash.ToArray())).ConfigureAwait(false);
                if (moved != 1)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return false;
                }

                foreach (var table in new[] { Subjects, Records, Checkpoints })
                {
                    await ExecuteAsync(
                        connection,
                        transaction,
                        $"DELETE FROM {table} WHERE node = @node AND sequence <= @sequence",
                        cancellationToken,
                        ("node", node),
                        ("sequence", mark.Sequence)).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var (sql, parameters) = QueryCommand(query);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, sql, parameters);
            var records = new List<AuditRecord>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    records.Add(ReadRecord(reader));
                }
            }

            if (records.Count <= query.PageSize)
            {
                return new AuditPage(records, null);
            }

            records.RemoveAt(records.Count - 1);
            var last = records[^1];
            return new AuditPage(records, new AuditCursor(last.Node, last.Sequence));
        }
    }

    /// <summary>The SELECT that answers <paramref name="query"/> (one record more than a page), and its parameters.</summary>
    /// <remarks>
    /// A subject is looked up in the subject index and its (node, sequence) pairs taken to the records — not tested
    /// record by record: as a correlated <c>EXISTS</c>, SQLite read every record of the store in key order and
    /// probed the index once per record, so asking for one person read the whole trail.
    /// </remarks>
    internal (string Sql, (string Name, object? Value)[] Parameters) QueryCommand(AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is <= 0 or > AuditQuery.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.PageSize, $"page size must be 1 to {AuditQuery.MaxPageSize}");
        }

        var sql = new StringBuilder($"SELECT {Prefixed("r.")} FROM {Records} r WHERE 1 = 1");
        var parameters = new List<(string, object?)>();
        void Criterion(string condition, string name, object? value)
        {
            sql.Append(" AND ").Append(condition);
            parameters.Add((name, value));
        }

        if (query.From is { } from)
        {
            Criterion("r.received_at >= @from", "from", AuditTime.ToUnixMicroseconds(from));
        }

        if (query.To is { } to)
        {
            Criterion("r.received_at < @to", "to", AuditTime.ToUnixMicroseconds(to));
        }

        if (query.Node is { } node)
        {
            Criterion("r.node = @node", "node", node);
        }

        if (query.Caller is { } caller)
        {
            Criterion("r.caller = @caller", "caller", caller);
        }

        if (query.Service is { } service)
        {
            Criterion("r.service = @service", "service", service);
        }

        if (query.Method is { } method)
        {
            Criterion("r.method = @method", "method", method);
        }

        if (query.Status is { } status)
        {
            Criterion("r.status_code = @status", "status", (int)status);
        }

        if (query.TraceId is { } traceId)
        {
            Criterion("r.trace_id = @trace_id", "trace_id", traceId);
        }

        if (query.Subject is { } subject)
        {
            Criterion($"(r.node, r.sequence) IN (SELECT s.node, s.sequence FROM {Subjects} s WHERE s.subject_hash = @subject)", "subject", subject.Hex);
        }

        if (query.After is { } after)
        {
            Criterion("(r.node > @after_node OR (r.node = @after_node AND r.sequence > @after_sequence))", "after_node", after.Node);
            parameters.Add(("after_sequence", after.Sequence));
        }

        // One more than a page: whether it exists says whether there is a next page.
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY r.node, r.sequence LIMIT {query.PageSize + 1}");
        return (sql.ToString(), [.. parameters]);
    }

    /// <summary>
    /// The durability settings a write transaction runs with, as the database reports them from inside one
    /// (SQLite: "journal_mode,synchronous"; PostgreSQL: synchronous_commit), for tests and diagnostics.
    /// </summary>
    public async Task<string> ReadDurabilityAsync(CancellationToken cancellationToken)
    {
        return await InDurableTransactionAsync(
            async (connection, transaction) =>
            {
                using var command = Command(connection, transaction, DurabilitySql);
                return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? string.Empty;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction whose commit is durable, on a connection of its own; the
    /// work commits (or rolls back) itself, and what it leaves open is rolled back.
    /// </summary>
    private Task<T> InDurableTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        InTransactionAsync(BeginDurableAsync, work, cancellationToken);

    private async Task<T> InTransactionAsync<T>(
        Func<DbConnection, CancellationToken, Task<DbTransaction>> begin, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await begin(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                return await work(connection, transaction).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// The indexes of the records and the subject index, the same in both dialects (created after the tables): by time,
    /// by caller, by method, by trace (only records that name one), and from a record to its subject-index rows.
    /// </summary>
    protected string IndexesSql => $"""
        CREATE INDEX IF NOT EXISTS audit_records_received_at ON {Records} (received_at);
        CREATE INDEX IF NOT EXISTS audit_records_caller ON {Records} (caller, received_at);
        CREATE INDEX IF NOT EXISTS audit_records_method ON {Records} (service, method, received_at);
        CREATE INDEX IF NOT EXISTS audit_records_trace_id ON {Records} (trace_id) WHERE trace_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS audit_subjects_record ON {Subjects} (node, sequence);
        """;

    /// <summary>A query answering <see cref="ReadDurabilityAsync"/>.</summary>
    protected abstract string DurabilitySql { get; }

    /// <summary>An open connection, set up for the store.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Creates the tables (and whatever they live in) if missing.</summary>
    protected abstract Task CreateSchemaAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a write transaction whose commit is flushed to stable storage before it returns.</summary>
    protected abstract Task<DbTransaction> BeginDurableAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Begins the transaction of an append (records and any checkpoint): by default <see cref="BeginDurableAsync"/>. A
    /// store may leave part of making it durable to <see cref="InsertRecordsAsync"/>, which runs first in every append
    /// transaction, to save a round trip per batch.
    /// </summary>
    protected virtual Task<DbTransaction> BeginAppendAsync(DbConnection connection, CancellationToken cancellationToken) =>
        BeginDurableAsync(connection, cancellationToken);

    /// <summary>
    /// Inserts the records (none when an append writes only a checkpoint) and their subject-index rows: the first
    /// statements of every append transaction.
    /// </summary>
    protected abstract Task InsertRecordsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>Called after a failed write, e.g. to drop pooled connections that may be broken.</summary>
    protected virtual void OnFailure()
    {
    }

    /// <summary>The record columns each prefixed (e.g. with a table alias).</summary>
    protected static string Prefixed(string prefix) =>
        string.Join(", ", RecordColumns.Split(", ").Select(c => prefix + c));

    /// <summary>The subject-hash column's text: the hashes separated by single spaces, empty when none.</summary>
    protected static string SubjectText(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.SubjectHashes.IsDefaultOrEmpty ? string.Empty : string.Join(' ', entry.SubjectHashes.Select(s => s.Hex));
    }

    /// <summary>The subject hashes of <paramref name="record"/> as the subject index keys them: each once.</summary>
    protected static IEnumerable<string> IndexedSubjects(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Entry.SubjectHashes.Select(s => s.Hex).Distinct(StringComparer.Ordinal);
    }

    /// <summary>The values of <paramref name="record"/> in <see cref="RecordColumns"/> order (null for SQL NULL).</summary>
    protected static object?[] RecordValues(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entry = record.Entry;
        return
        [
            record.Node,
            record.Sequence,
            record.EncodingVersion,
            entry.ExchangeId,
            entry.ParentExchangeId,
            entry.TraceId,
            entry.Caller,
            entry.TargetRegion,
            entry.TargetEndpoint,
            entry.Service,
            entry.Method,
            entry.Purpose,
            SubjectText(entry),
            entry.Request?.Sha256.ToArray(),
            entry.Request?.Size,
            entry.Request?.Messages,
            entry.Response?.Sha256.ToArray(),
            entry.Response?.Size,
            entry.Response?.Messages,
            (int)entry.Status,
            AuditOutcomeNames.Of(entry.Outcome),
            entry.Attempts,
            AuditTime.ToUnixMicroseconds(entry.ReceivedAt),
            entry.ForwardedAt is { } forwarded ? AuditTime.ToUnixMicroseconds(forwarded) : null,
            AuditTime.ToUnixMicroseconds(entry.AnsweredAt),
            record.PreviousHash.ToArray(),
            record.Hash.ToArray(),
        ];
    }

    /// <summary>A command with <c>@name</c> parameters (null values as SQL NULL).</summary>
    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            // Named as the SQL writes it: an unprefixed name makes Microsoft.Data.Sqlite try each prefix in turn at
            // every execution (a string scan over all the statement's parameters per try). Npgsql accepts either.
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Runs one statement; returns the rows it changed.</summary>
    protected static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A record from the current row of a reader over <see cref="RecordColumns"/>.</summary>
    /// <exception cref="InvalidDataException">The row cannot be a record (a column was altered out of shape).</exception>
    protected static AuditRecord ReadRecord(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var node = reader.GetString(0);
        var sequence = reader.GetInt64(1);
        try
        {
            if (!AuditOutcomeNames.TryParse(reader.GetString(20), out var outcome))
            {
                throw new InvalidDataException($"outcome '{reader.GetString(20)}' is not known");
            }

            var subjects = reader.GetString(12);
            return new AuditRecord
            {
                Node = node,
                Sequence = sequence,
                EncodingVersion = reader.GetInt32(2),
                Entry = new AuditEntry
                {
                    ExchangeId = reader.GetString(3),
                    ParentExchangeId = OptionalString(reader, 4),
                    TraceId = OptionalString(reader, 5),
                    Caller = reader.GetString(6),
                    TargetRegion = OptionalString(reader, 7),
                    TargetEndpoint = OptionalString(reader, 8),
                    Service = reader.GetString(9),
                    Method = reader.GetString(10),
                    Purpose = reader.GetString(11),
                    SubjectHashes = subjects.Length == 0 ? [] : [.. subjects.Split(' ').Select(SubjectHash.Parse)],
                    Request = OptionalDigest(reader, 13),
                    Response = OptionalDigest(reader, 16),
                    Status = (StatusCode)reader.GetInt32(19),
                    Outcome = outcome,
                    Attempts = reader.GetInt32(21),
                    ReceivedAt = AuditTime.FromUnixMicroseconds(reader.GetInt64(22)),
                    ForwardedAt = reader.IsDBNull(23) ? null : AuditTime.FromUnixMicroseconds(reader.GetInt64(23)),
                    AnsweredAt = AuditTime.FromUnixMicroseconds(reader.GetInt64(24)),
                },
                PreviousHash = AuditHash.FromBytes(reader.GetFieldValue<byte[]>(25)),
                Hash = AuditHash.FromBytes(reader.GetFieldValue<byte[]>(26)),
            };
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidCastException or InvalidDataException)
        {
            throw new InvalidDataException($"record {sequence} of node '{node}' cannot be read: {exception.Message}", exception);
        }
    }

    private static string? OptionalString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static MessageDigest? OptionalDigest(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal)
            ? null
            : new MessageDigest(AuditHash.FromBytes(reader.GetFieldValue<byte[]>(ordinal)), reader.GetInt64(ordinal + 1), reader.GetInt32(ordinal + 2));

    private static AuditCheckpoint ReadCheckpoint(DbDataReader reader) => new()
    {
        Node = reader.GetString(0),
        Sequence = reader.GetInt64(1),
        // A checkpoint whose hash was cut to the wrong length still reads: its signature then fails to verify.
        RecordHash = reader.GetFieldValue<byte[]>(2) is { Length: AuditHash.Length } hash ? AuditHash.FromBytes(hash) : AuditHash.Zero,
        CreatedAt = AuditTime.FromUnixMicroseconds(reader.GetInt64(3)),
        KeyId = reader.GetString(4),
        Signature = ImmutableArray.Create(reader.GetFieldValue<byte[]>(5)),
    };

    private async Task<AuditArchiveMark> ReadMarkAsync(DbConnection connection, string node, CancellationToken cancellationToken)
    {
        using var command = Command(connection, null, $"SELECT archived_through, archived_hash FROM {Nodes} WHERE node = @node", ("node", node));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new AuditArchiveMark(node, reader.GetInt64(0), AuditHash.FromBytes(reader.GetFieldValue<byte[]>(1)))
                : AuditArchiveMark.None(node);
        }
    }

    private async Task InsertCheckpointAsync(DbConnection connection, DbTransaction transaction, AuditCheckpoint checkpoint, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            connection,
            transaction,
            $"INSERT INTO {Checkpoints} ({CheckpointColumns}) VALUES (@node, @sequence, @record_hash, @created_at, @key_id, @signature)",
            cancellationToken,
            ("node", checkpoint.Node),
            ("sequence", checkpoint.Sequence),
            ("record_hash", checkpoint.RecordHash.ToArray()),
            ("created_at", AuditTime.ToUnixMicroseconds(checkpoint.CreatedAt)),
            ("key_id", checkpoint.KeyId),
            ("signature", checkpoint.Signature.ToArray())).ConfigureAwait(false);
}
