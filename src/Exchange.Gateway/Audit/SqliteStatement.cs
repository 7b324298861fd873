using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Exchange.Gateway.Audit;

/// <summary>
/// One prepared SQLite statement run many times with positional parameters, straight on the connection's handle
/// inside its transaction. The audit writer inserts every record this way: through ADO.NET each execution looked up
/// every parameter by name and built a data reader, which cost more than the insert itself.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <summary>Prepares <paramref name="sql"/> (positional <c>?</c> parameters) on <paramref name="connection"/>.</summary>
    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out _statement), _db);
    }

    /// <summary>Binds <paramref name="values"/> to parameters 1…n (null as SQL NULL), runs the statement once and resets it.</summary>
    /// <exception cref="SqliteException">The statement failed (a constraint, a full disk, …).</exception>
    public void Execute(ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var index = i + 1;
            var rc = values[i] switch
            {
                null => raw.sqlite3_bind_null(_statement, index),
                string text => raw.sqlite3_bind_text(_statement, index, text),
                long number => raw.sqlite3_bind_int64(_statement, index, number),
                int number => raw.sqlite3_bind_int64(_statement, index, number),
                byte[] bytes => raw.sqlite3_bind_blob(_statement, index, bytes),
                var other => throw new ArgumentException($"no SQLite binding for a value of type {other.GetType().Name}", nameof(values)),
            };
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        var step = raw.sqlite3_step(_statement);
        var reset = raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(step == raw.SQLITE_ROW ? raw.SQLITE_MISUSE : step, _db);
        }

        SqliteException.ThrowExceptionForRC(reset, _db);
    }

    /// <inheritdoc />
    public void Dispose() => _statement.Dispose();
}
