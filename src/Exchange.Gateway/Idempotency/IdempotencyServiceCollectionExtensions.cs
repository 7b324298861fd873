using Exchange.Gateway.Configuration;
using Exchange.Pki;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Exchange.Gateway.Idempotency;

/// <summary>Registers exactly-once treatment and opens its store at start.</summary>
internal static class IdempotencyServiceCollectionExtensions
{
    /// <summary>The store <paramref name="options"/> name, <see cref="ExactlyOnce"/> and the purge service.</summary>
    public static IServiceCollection AddIdempotency(this IServiceCollection services, GatewayOptions options)
    {
        services.TryAddSingleton<IIdempotencyStore>(provider => CreateStore(options, provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ExactlyOnce>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IdempotencyPurgeService>());
        return services;
    }

    /// <summary>
    /// Opens the store and creates its schema, before the gateway listens.
    /// </summary>
    /// <exception cref="GatewayConfigurationException">The store cannot be opened; the error names the setting.</exception>
    public static async Task InitializeIdempotencyStoreAsync(this IServiceProvider services, GatewayOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<IIdempotencyStore>().InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new GatewayConfigurationException([Describe(options) + ": the idempotency store cannot be opened: " + e.Message]);
        }
    }

    /// <summary>The SQLite file: <see cref="IdempotencyOptions.SqlitePath"/>, or gateway.db in the sandbox state directory.</summary>
    public static string SqlitePathOf(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SandboxStateDirectory.Resolve(options.Idempotency.SqlitePath ?? Path.Combine(options.Sandbox.StateDirectory, "gateway.db"));
    }

    private static SqlIdempotencyStore CreateStore(GatewayOptions options, TimeProvider time) => options.Idempotency.Store switch
    {
        IdempotencyStoreKind.Postgres => new PostgresIdempotencyStore(
            options.Idempotency.PostgresConnectionString!, options.Idempotency.PostgresSchema, options.Idempotency, time),
        _ => new SqliteIdempotencyStore(SqlitePathOf(options), options.Idempotency, time),
    };

    private static string Describe(GatewayOptions options)
    {
        if (options.Idempotency.Store != IdempotencyStoreKind.Postgres)
        {
            return $"Idempotency.SqlitePath ('{SqlitePathOf(options)}')";
        }

        // Never the whole connection string: it may hold a password.
        var builder = new NpgsqlConnectionStringBuilder(options.Idempotency.PostgresConnectionString);
        return $"Idempotency.PostgresConnectionString (host {builder.Host}, database {builder.Database})";
    }
}
