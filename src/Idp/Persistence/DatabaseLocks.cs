using Idp.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence;

/// <summary>
/// Runs a check-then-write under a lock every node respects: a transaction-scoped PostgreSQL advisory lock, or
/// SQLite's write lock (BEGIN IMMEDIATE). For rare maintenance writes (creating signing keys), not hot paths.
/// </summary>
internal static class DatabaseLocks
{
    public const long SigningKeys = 0x1D9_0002;

    public static async Task RunExclusiveAsync(IdpDbContext db, DatabaseProvider provider, long lockKey, Func<Task> action, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({lockKey})", cancellationToken);
        }
        else
        {
            // Microsoft.Data.Sqlite begins IMMEDIATE transactions, but only a write takes the lock for sure.
            await db.Database.ExecuteSqlRawAsync("UPDATE \"__IdpMigrations\" SET \"Version\" = \"Version\" WHERE 0", cancellationToken);
        }

        await action();
        await transaction.CommitAsync(cancellationToken);
    }
}
