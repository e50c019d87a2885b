using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Idp.Persistence;

/// <summary>
/// One hand-written SQL statement on the context's connection, for the few requests that run thousands of times a
/// second (refresh, userinfo). Measured on PostgreSQL (bench/run.sh oidc): each database round trip costs more than
/// the rest of such a request, and EF's raw-SQL path adds query-root building and a cache lock on top; a plain
/// command with parameters avoids both. The SQL must run unchanged on PostgreSQL and SQLite: double-quoted
/// identifiers, @named parameters, UPDATE … RETURNING (SQLite 3.35+). Everything else goes through EF.
/// </summary>
internal static class HandWrittenSql
{
    /// <summary>Runs the statement and maps its first row, or returns <paramref name="none"/> when it has none.</summary>
    public static Task<T> ReadAsync<T>(IdpDbContext db, string sql, Func<DbDataReader, T> read, T none, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        => RunAsync(db, sql, parameters, async command =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? read(reader) : none;
        }, cancellationToken);

    /// <summary>Runs the statement; the number of rows it changed.</summary>
    public static Task<int> ExecuteAsync(IdpDbContext db, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        => RunAsync(db, sql, parameters, command => command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);

    /// <summary>SQLite returns timestamps without a kind; every timestamp we store is UTC.</summary>
    public static DateTime Utc(DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    private static async Task<T> RunAsync<T>(IdpDbContext db, string sql, (string Name, object? Value)[] parameters, Func<DbCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            return await run(command);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
