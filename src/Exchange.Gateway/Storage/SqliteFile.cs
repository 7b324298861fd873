using Microsoft.Data.Sqlite;

namespace Exchange.Gateway.Storage;

/// <summary>
/// One SQLite database file as the gateway's embedded stores use it: pooled connections, a busy timeout so
/// concurrent writers queue instead of failing, and the store's own <c>synchronous</c> level (the audit trail needs
/// FULL, the idempotency store can take NORMAL).
/// </summary>
internal sealed class SqliteFile
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    /// <summary>
    /// The file at <paramref name="path"/>, opened with <c>PRAGMA synchronous = <paramref name="synchronous"/></c> and
    /// any <paramref name="pragmas"/> the store needs besides.
    /// </summary>
    public SqliteFile(string path, string synchronous, string pragmas = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _pragmas = $"PRAGMA busy_timeout = 5000; PRAGMA synchronous = {synchronous}; {pragmas}";
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates the file (and its directory) if it is missing and puts it in WAL mode, which the file keeps: readers
    /// never block the writer, and a commit appends to the log instead of rewriting pages.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An open connection with the pragmas applied.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Lets go of the pooled connections, which keep the file open.</summary>
    public void ReleasePool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
