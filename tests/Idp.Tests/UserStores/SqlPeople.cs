using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Idp.Tests.UserStores;

/// <summary>
/// Another application's table of people, in a database of its own (a new PostgreSQL database on the run's cluster,
/// or a new SQLite file): <c>"user"</c>, a reserved word, so that only quoted names work.
/// </summary>
internal sealed class SqlPeople : IAsyncDisposable
{
    private readonly string? _folder;

    private SqlPeople(DatabaseKind kind, string connectionString, string? folder)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _folder = folder;
    }

    public DatabaseKind Kind { get; }

    public string ConnectionString { get; }

    public static async Task<SqlPeople> CreateAsync(DatabaseKind kind)
    {
        SqlPeople people;
        if (kind == DatabaseKind.Postgres)
        {
            people = new SqlPeople(kind, await (await SharedPostgres.GetAsync()).CreateDatabaseAsync(), null);
            await people.ExecuteAsync("""CREATE TABLE "user" (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, username text NOT NULL, email text, full_name text, password_hash text, groups text, active boolean NOT NULL DEFAULT true)""");
        }
        else
        {
            var folder = Directory.CreateTempSubdirectory("idp-sql-store-").FullName;
            people = new SqlPeople(kind, $"Data Source={Path.Combine(folder, "shop.db")}", folder);
            await people.ExecuteAsync("""CREATE TABLE "user" (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, email TEXT, full_name TEXT, password_hash TEXT, groups TEXT, active INTEGER NOT NULL DEFAULT 1)""");
        }

        return people;
    }

    /// <summary>Adds a person and returns their row id.</summary>
    public async Task<long> AddAsync(string login, string? hash, string? name = null, string? email = null, string? groups = null)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, """INSERT INTO "user" (username, email, full_name, password_hash, groups) VALUES (@login, @email, @name, @hash, @groups) RETURNING id""",
            ("login", login), ("email", email ?? $"{login}@shop.example"), ("name", name), ("hash", hash), ("groups", groups));
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sets one column of a row, as the other application would.</summary>
    public Task SetAsync(long id, string column, object? value)
        => ExecuteAsync($"""UPDATE "user" SET {column} = @value WHERE id = @id""", ("value", value), ("id", id));

    public Task DisableAsync(long id) => SetAsync(id, "active", Kind == DatabaseKind.Postgres ? false : 0);

    public async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A pooled connection of the node still closing; the temporary folder is left behind.
            }
        }

        return ValueTask.CompletedTask;
    }

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Kind == DatabaseKind.Postgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
