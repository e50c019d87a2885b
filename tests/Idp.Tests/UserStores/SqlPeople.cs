using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Idp.Tests.UserStores;

/// <summary>
/// Another application's table of people, in a database of its own (a <see cref="TestDatabase"/>: a new PostgreSQL
/// database on the run's cluster, or a new SQLite file): <c>"user"</c>, a reserved word, so that only quoted names work.
/// </summary>
internal sealed class SqlPeople : IAsyncDisposable
{
    private readonly TestDatabase _database;

    private SqlPeople(TestDatabase database) => _database = database;

    public DatabaseKind Kind => _database.Kind;

    public string ConnectionString => _database.ConnectionString;

    public static async Task<SqlPeople> CreateAsync(DatabaseKind kind)
    {
        var people = new SqlPeople(await TestDatabase.CreateAsync(kind));
        await people.ExecuteAsync(kind == DatabaseKind.Postgres
            ? """CREATE TABLE "user" (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, username text NOT NULL, email text, full_name text, password_hash text, groups text, active boolean NOT NULL DEFAULT true)"""
            : """CREATE TABLE "user" (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, email TEXT, full_name TEXT, password_hash TEXT, groups TEXT, active INTEGER NOT NULL DEFAULT 1)""");
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

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = Kind == DatabaseKind.Postgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
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
