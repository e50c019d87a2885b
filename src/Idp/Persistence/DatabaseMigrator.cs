using System.Data;
using System.Data.Common;
using System.Reflection;
using Idp.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence;

/// <summary>
/// Applies the versioned SQL scripts embedded under Migrations/&lt;Provider&gt;/ in name order, each once, recorded in
/// <c>__IdpMigrations</c>. Nodes starting together on an empty PostgreSQL serialise on an advisory lock; SQLite
/// writers serialise on BEGIN IMMEDIATE. Never EnsureCreated.
/// </summary>
internal sealed class DatabaseMigrator(IdpDbContext db, DatabaseTarget target, ILogger<DatabaseMigrator> logger)
{
    private const string HistoryTable = "__IdpMigrations";

    // An arbitrary constant every Idp node agrees on for pg_advisory_lock.
    private const long PostgresLockKey = 0x1D9_0001;

    public IReadOnlyList<string> AllVersions { get; } = Scripts(target.Provider).Select(s => s.Version).ToList();

    /// <param name="upTo">Apply only the versions up to this one (ordinal order, as they are applied): a database in the
    /// state of an earlier release, for the upgrade tests. Null: every pending version.</param>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken, string? upTo = null)
    {
        var connection = db.Database.GetDbConnection();
        EnsureSqliteFolder();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (target.Provider == DatabaseProvider.Postgres)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresLockKey})", cancellationToken);
            }
            else
            {
                // WAL lets readers go on while a writer works; it is a property of the file and cannot change inside a transaction.
                await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
            }

            try
            {
                return await ApplyPendingAsync(connection, upTo, cancellationToken);
            }
            finally
            {
                if (target.Provider == DatabaseProvider.Postgres)
                {
                    await UnlockAsync(connection);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Releases the session-level migration lock. Pooled connections are not reset on reuse (No Reset On Close), so a
    /// connection whose unlock failed must not go back to the pool holding the lock: every other node's start-up would
    /// wait on it. Clearing the pool closes it instead, which ends the session and its lock.
    /// </summary>
    private static async Task UnlockAsync(DbConnection connection)
    {
        try
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresLockKey})", CancellationToken.None);
        }
        catch (Exception) when (connection is Npgsql.NpgsqlConnection npgsql)
        {
            Npgsql.NpgsqlConnection.ClearPool(npgsql);
            throw;
        }
    }

    /// <summary>Versions not yet applied; every version when the database is empty or unreachable tables are missing.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        EnsureSqliteFolder();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var applied = await AppliedAsync(db.Database.GetDbConnection(), null, cancellationToken);
            return AllVersions.Where(v => !applied.Contains(v)).ToList();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<IReadOnlyList<string>> ApplyPendingAsync(DbConnection connection, string? upTo, CancellationToken cancellationToken)
    {
        // SQLite: BEGIN IMMEDIATE (the default here) takes the write lock before the history is read.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        await ExecuteAsync(connection, transaction, CreateHistorySql(), cancellationToken);
        var applied = await AppliedAsync(connection, transaction, cancellationToken);
        var done = new List<string>();
        foreach (var script in Scripts(target.Provider).Where(s => !applied.Contains(s.Version) && (upTo is null || string.CompareOrdinal(s.Version, upTo) <= 0)))
        {
            logger.LogInformation("Applying schema migration {Version}", script.Version);
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = $"INSERT INTO \"{HistoryTable}\" (\"Version\", \"AppliedAt\") VALUES (@version, @at)";
            AddParameter(record, "@version", script.Version);
            AddParameter(record, "@at", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
            done.Add(script.Version);
        }

        await transaction.CommitAsync(cancellationToken);
        return done;
    }

    /// <summary>The versions applied, read on <paramref name="connection"/> in <paramref name="transaction"/> (a backup's snapshot).</summary>
    public static Task<HashSet<string>> AppliedWithinAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
        => AppliedAsync(connection, transaction, cancellationToken);

    private static async Task<HashSet<string>> AppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT \"Version\" FROM \"{HistoryTable}\"";
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }
        catch (DbException) when (transaction is null)
        {
            // No history table yet: nothing applied.
        }

        return applied;
    }

    private static string CreateHistorySql()
        => $"CREATE TABLE IF NOT EXISTS \"{HistoryTable}\" (\"Version\" VARCHAR(100) NOT NULL PRIMARY KEY, \"AppliedAt\" VARCHAR(40) NOT NULL)";

    private void EnsureSqliteFolder()
    {
        if (target.SqliteFile is { } file && Path.GetDirectoryName(file) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private sealed record Script(string Version, string Sql);

    private static IEnumerable<Script> Scripts(DatabaseProvider provider)
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var prefix = $"migrations/{provider}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new Script(Path.GetFileNameWithoutExtension(n[prefix.Length..]), Read(assembly, n)));
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
