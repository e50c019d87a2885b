using Idp.Hosting;
using Idp.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Idp.Testing;

/// <summary>
/// A fresh database of either kind, a new SQLite file or a new database on the run's PostgreSQL cluster: with the
/// current schema (<see cref="CreateAsync"/>) or with no tables at all (<see cref="CreateEmptyAsync"/>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>
    /// Each process migrates one database per kind, and every schema-holding test database is a copy of it: a file copy
    /// for SQLite, <c>CREATE DATABASE … TEMPLATE</c> for PostgreSQL. Running the ten migrations costs 200–350 ms a
    /// database here, paid hundreds of times a run otherwise; the migrations themselves are tested on empty databases.
    /// </summary>
    private static readonly Lazy<Task<string>> SqliteTemplate = new(() => MigratedTemplateAsync(DatabaseKind.Sqlite));

    private static readonly Lazy<Task<string>> PostgresTemplate = new(() => MigratedTemplateAsync(DatabaseKind.Postgres));

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

    /// <summary>A new database holding the current schema and only the rows the migrations seed (the admin role, their history).</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Postgres)
        {
            var template = await PostgresTemplate.Value;
            var cluster = await SharedPostgres.GetAsync();
            return new TestDatabase(kind, await cluster.CreateDatabaseAsync(template), null);
        }

        var source = await SqliteTemplate.Value;
        var database = NewSqliteFile();
        File.Copy(source, database.SqliteFile);
        return database;
    }

    /// <summary>A new database with no tables: for the migrations' own tests and start-up on an empty database.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Postgres)
        {
            var cluster = await SharedPostgres.GetAsync();
            return new TestDatabase(kind, await cluster.CreateDatabaseAsync(), null);
        }

        return NewSqliteFile();
    }

    /// <summary>A fresh, empty database on a cluster the test owns (one it stops and starts).</summary>
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
        if (Kind == DatabaseKind.Postgres)
        {
            PostgresCluster.ReleaseConnections(ConnectionString);
        }

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

    private string SqliteFile => Path.Combine(_sqliteFolder!, "idp.db");

    private static TestDatabase NewSqliteFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"idp-sqlite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        LeftoverTestFolders.Claim(folder);
        // Pooled, as the app's own SQLite connection string is (DatabaseRegistration); DisposeAsync clears the pools
        // before the folder goes. Unpooled, every query opened the file and read its schema again.
        return new TestDatabase(DatabaseKind.Sqlite, $"Data Source={Path.Combine(folder, "idp.db")};Pooling=True", folder);
    }

    /// <summary>Migrates a new empty database with the app's own migrator; for PostgreSQL, its database name, for SQLite, its file.</summary>
    private static async Task<string> MigratedTemplateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            // Once per process: the files of ended runs that could not remove their own (LeftoverTestFolders).
            await LeftoverTestFolders.ClearAsync("idp-sqlite-", _ => Task.CompletedTask);
        }

        var template = await CreateEmptyAsync(kind);
        var builder = new DbContextOptionsBuilder<IdpDbContext>();
        DatabaseRegistration.Configure(builder, template.Provider, template.ConnectionString);
        await using (var db = new IdpDbContext(builder.Options))
        {
            await new DatabaseMigrator(db, new DatabaseTarget(template.Provider, template.ConnectionString), NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        if (kind == DatabaseKind.Postgres)
        {
            // CREATE DATABASE … TEMPLATE refuses a template anyone is connected to: no pooled connection may stay open.
            await using var connection = new Npgsql.NpgsqlConnection(template.ConnectionString);
            Npgsql.NpgsqlConnection.ClearPool(connection);
            return new Npgsql.NpgsqlConnectionStringBuilder(template.ConnectionString).Database!;
        }

        // The migrator left the file in WAL mode: everything must be in the main file before it is copied alone.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(template.ConnectionString))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return template.SqliteFile;
    }
}
