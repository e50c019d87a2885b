using Idp.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence;

/// <summary>Chooses the EF Core provider from <c>Database:Provider</c> and the connection from <c>ConnectionStrings:Idp</c>.</summary>
internal static class DatabaseRegistration
{
    public const string ConnectionStringName = "Idp";

    public static IServiceCollection AddIdpDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        // Read here, before there is a container, to choose the provider; everything else reads IOptions<DatabaseOptions>.
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        var connectionString = ResolveConnectionString(options, configuration.GetConnectionString(ConnectionStringName));
        services.AddSingleton(new DatabaseTarget(options.Provider, connectionString));
        // Pooled: a token request uses a context for a few milliseconds, and building one each time showed in the benchmark.
        services.AddDbContextPool<IdpDbContext>((provider, builder) =>
        {
            Configure(builder, options.Provider, connectionString);
            builder.AddInterceptors(provider.GetRequiredService<Hosting.Telemetry.DatabaseTimingInterceptor>());
        });
        return services;
    }

    public static void Configure(DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString)
    {
        _ = provider switch
        {
            DatabaseProvider.Postgres => builder.UseNpgsql(connectionString),
            _ => builder.UseSqlite(connectionString),
        };
    }

    private static string ResolveConnectionString(DatabaseOptions options, string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return options.Provider == DatabaseProvider.Postgres ? PostgresConnectionDefaults.Apply(configured) : configured;
        }

        if (options.Provider == DatabaseProvider.Postgres)
        {
            throw new IdpConfigurationException(
                "ConnectionStrings:Idp is required when Database:Provider is Postgres, e.g. Host=db;Database=idp;Username=idp;Password=... (environment: ConnectionStrings__Idp).");
        }

        if (string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            throw new IdpConfigurationException("Database:SqlitePath must name a file when no ConnectionStrings:Idp is given.");
        }

        var path = Path.GetFullPath(options.SqlitePath);
        return new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    }
}

/// <summary>Which database this process talks to; the connection string is never logged, only the SQLite file path.</summary>
internal sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString)
{
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return $"SQLite database {SqliteFile}";
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}";
    }

    public string? SqliteFile => Provider == DatabaseProvider.Sqlite ? new SqliteConnectionStringBuilder(ConnectionString).DataSource : null;
}
