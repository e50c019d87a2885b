using System.Data;
using System.Security.Cryptography;
using System.Text.Json;
using Idp.Hosting;
using Idp.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Idp.Backup;

/// <summary>
/// <c>Idp backup</c>: every table, from one consistent snapshot, as JSON Lines (<c>{"t":table,"r":row}</c>, then
/// <c>{"end":counts}</c>) in an encrypted archive. Stored secrets stay encrypted under the secret key (Idp:Secrets),
/// which is never written to the archive.
/// </summary>
internal sealed class DatabaseBackup(IdpDbContext db, DatabaseTarget target, DatabaseMigrator migrator, TimeProvider time)
{
    public async Task<BackupSummary> WriteAsync(Stream output, byte[] archiveKey, CancellationToken cancellationToken)
    {
        var tables = new BackupTables(db.Model);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var snapshot = await BeginSnapshotAsync(cancellationToken);
        var header = new BackupHeader(ArchiveFormat.Version, await SchemaAsync(snapshot, cancellationToken), target.Provider.ToString(), time.GetUtcNow(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var (body, archive) = BackupArchive.Create(output, archiveKey, header);
        await using (body)
        {
            await using var json = new Utf8JsonWriter(body);
            foreach (var type in tables.Ordered)
            {
                var table = BackupTables.Table(type);
                counts[table] = 0;
                await foreach (var row in BackupTables.Rows(db, type).WithCancellation(cancellationToken))
                {
                    json.WriteStartObject();
                    json.WriteString("t", table);
                    json.WritePropertyName("r");
                    BackupTables.WriteRow(json, type, row);
                    json.WriteEndObject();
                    EndLine(json, body);
                    counts[table]++;
                }
            }

            json.WriteStartObject();
            json.WritePropertyName("end");
            JsonSerializer.Serialize(json, counts);
            json.WriteEndObject();
            EndLine(json, body);
            archive.Complete();
        }

        await snapshot.RollbackAsync(cancellationToken);
        return new BackupSummary(header, counts);
    }

    /// <summary>
    /// The schema level as the snapshot has it: the rows are this level's. A database a newer release already migrated
    /// (a rolling upgrade under way) has tables and columns this release would leave out, so it is refused.
    /// </summary>
    private async Task<string> SchemaAsync(IDbContextTransaction snapshot, CancellationToken cancellationToken)
    {
        var applied = await DatabaseMigrator.AppliedWithinAsync(db.Database.GetDbConnection(), snapshot.GetDbTransaction(), cancellationToken);
        if (applied.Except(migrator.AllVersions).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } unknown)
        {
            throw new BackupArchiveException($"the database is at schema {unknown[^1]}, which this Idp does not know: back it up with the release that migrated it");
        }

        if (migrator.AllVersions.Except(applied).Any())
        {
            throw new BackupArchiveException("the database schema is behind this release; run the migrate verb first");
        }

        return migrator.AllVersions[^1];
    }

    private static void EndLine(Utf8JsonWriter json, Stream body)
    {
        json.Flush();
        body.WriteByte((byte)'\n');
        json.Reset();
    }

    /// <summary>
    /// One snapshot for every table. PostgreSQL: REPEATABLE READ, read only. SQLite (in WAL mode): a deferred
    /// transaction reads one snapshot from its first read on and, unlike EF's default BEGIN IMMEDIATE, does not
    /// hold writers off while the archive is written.
    /// </summary>
    private async Task<IDbContextTransaction> BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        if (target.Provider == DatabaseProvider.Postgres)
        {
            var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY", cancellationToken);
            return transaction;
        }

        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        return await db.Database.UseTransactionAsync(connection.BeginTransaction(deferred: true), cancellationToken)
            ?? throw new InvalidOperationException("EF did not take the SQLite transaction");
    }
}
