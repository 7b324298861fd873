using System.Runtime.CompilerServices;

namespace Exchange.Gateway.Audit;

/// <summary>
/// Query results as NDJSON, for the CLI: every page of a query, one record object per line (<see cref="AuditNdjson"/>),
/// in (node, sequence) order.
/// </summary>
internal static class AuditExport
{
    /// <summary>Every record matching <paramref name="query"/>, page after page (its cursor is the starting point).</summary>
    public static async IAsyncEnumerable<AuditRecord> QueryAllAsync(IAuditStore store, AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        var next = query;
        while (true)
        {
            var page = await store.QueryAsync(next, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Records)
            {
                yield return record;
            }

            if (page.Next is null)
            {
                yield break;
            }

            next = next with { After = page.Next };
        }
    }

    /// <summary>Writes <paramref name="records"/> to <paramref name="output"/> as NDJSON; returns how many.</summary>
    public static async Task<long> WriteNdjsonAsync(IAsyncEnumerable<AuditRecord> records, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await output.WriteAsync(AuditNdjson.Line(w => AuditNdjson.WriteRecord(w, record)), cancellationToken).ConfigureAwait(false);
            count++;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Writes every record matching <paramref name="query"/> to <paramref name="output"/> as NDJSON; returns how many.</summary>
    public static Task<long> WriteNdjsonAsync(IAuditStore store, AuditQuery query, Stream output, CancellationToken cancellationToken = default) =>
        WriteNdjsonAsync(QueryAllAsync(store, query, cancellationToken), output, cancellationToken);
}
