using Idp.Hosting;

namespace Idp.Testing;

/// <summary>A fresh, empty database of either kind: a new SQLite file, or a new database on the run's PostgreSQL cluster.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _sqliteFolder;

    private TestDatabase(DatabaseKind kind, string connectionString, string? sqliteFolder)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _sqliteFolder = sqliteFolder;
    }

    public DatabaseKind Kind { get; }

    public string ConnectionString { get; }

    public DatabaseProvider Provider => Kind == DatabaseKind.Postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Postgres)
        {
            var cluster = await SharedPostgres.GetAsync();
            return new TestDatabase(kind, await cluster.CreateDatabaseAsync(), null);
        }

        var folder = Path.Combine(Path.GetTempPath(), $"idp-sqlite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return new TestDatabase(kind, $"Data Source={Path.Combine(folder, "idp.db")};Pooling=False", folder);
    }

    /// <summary>A fresh database on a cluster the test owns (one it stops and starts).</summary>
    public static async Task<TestDatabase> CreateOnAsync(PostgresCluster cluster)
        => new(DatabaseKind.Postgres, await cluster.CreateDatabaseAsync(), null);

    /// <summary>A PostgreSQL database the test reaches by its own connection string (several hosts, for one).</summary>
    public static TestDatabase OnPostgres(string connectionString) => new(DatabaseKind.Postgres, connectionString, null);

    /// <summary>Configuration that points the app at this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Database:Provider", Provider.ToString()),
        new("ConnectionStrings:Idp", ConnectionString),
    ];

    public ValueTask DisposeAsync()
    {
        if (_sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_sqliteFolder, recursive: true);
            }
            catch (IOException)
            {
                // A connection still closing; the temp folder is left behind.
            }
        }

        return ValueTask.CompletedTask;
    }
}
