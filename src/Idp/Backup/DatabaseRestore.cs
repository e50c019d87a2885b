using System.Text.Json;
using Idp.Hosting;
using Idp.Persistence;
using Idp.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Idp.Backup;

/// <summary>
/// <c>Idp restore</c>: reads the whole archive once to check it (every chunk's tag, every row, the secret keys its
/// secrets need), and only then writes it, in one transaction, into a database migrated to the archive's schema
/// level. Whatever is refused is refused before anything is written; the second read must be of the same file.
/// </summary>
internal sealed class DatabaseRestore(IdpDbContext db, DatabaseTarget target, DatabaseMigrator migrator, SecretKeyRing keys, ArchivedSecrets secrets)
{
    private const int Batch = 500;

    /// <param name="open">Opens the archive file (it is read twice: checked, then restored).</param>
    /// <param name="replace">Delete what the target holds first, in the same transaction; otherwise a non-empty target is refused.</param>
    public async Task<BackupSummary> RestoreAsync(Func<Stream> open, byte[] archiveKey, string keySource, bool replace, CancellationToken cancellationToken)
    {
        var tables = new BackupTables(db.Model);
        var (summary, checkedFile) = await CheckAsync(open, archiveKey, keySource, tables, cancellationToken);
        await RefuseHeldDataAsync(tables, replace, cancellationToken);

        await migrator.MigrateAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            if (!replace && await CountRowsAsync(tables, cancellationToken) is { Count: > 0 } held)
            {
                throw NotEmpty(held);
            }

            // Also what the migrations seeded: the archive holds its own copy of those rows.
            foreach (var type in tables.Ordered.Reverse())
            {
                // Table names come from the EF model, never from the archive.
                var delete = $"DELETE FROM \"{BackupTables.Table(type)}\"";
                await db.Database.ExecuteSqlRawAsync(delete, cancellationToken);
            }

            var pending = 0;
            var (_, writtenFile) = await ReadAsync(open, archiveKey, keySource, tables, async (_, row) =>
            {
                db.Add(row);
                if (++pending == Batch)
                {
                    await db.SaveChangesAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                    pending = 0;
                }
            }, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            if (!checkedFile.AsSpan().SequenceEqual(writtenFile))
            {
                throw new BackupArchiveException("the archive changed between its check and its restore; nothing was restored");
            }

            await ContinueIdentitiesAsync(tables, cancellationToken);
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            try
            {
                // setval is not transactional: the sequences follow the rows that stayed.
                await ContinueIdentitiesAsync(tables, CancellationToken.None);
            }
            catch (System.Data.Common.DbException)
            {
                // The database is gone too: the failure the operator needs to see is the one being rethrown.
            }

            throw;
        }

        return summary;
    }

    /// <summary>The first read: nothing is written; any problem is a <see cref="BackupArchiveException"/>.</summary>
    private async Task<(BackupSummary Summary, byte[] FileHash)> CheckAsync(Func<Stream> open, byte[] archiveKey, string keySource, BackupTables tables, CancellationToken cancellationToken)
    {
        var missingKeys = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        var result = await ReadAsync(open, archiveKey, keySource, tables, (type, row) =>
        {
            foreach (var keyId in secrets.In(row).Select(SecretProtector.KeyIdOf).OfType<string>().Where(id => !keys.TryFind(id, out _)))
            {
                var perTable = missingKeys.TryGetValue(keyId, out var found) ? found : missingKeys[keyId] = new(StringComparer.Ordinal);
                perTable[BackupTables.Table(type)] = perTable.GetValueOrDefault(BackupTables.Table(type)) + 1;
            }

            return Task.CompletedTask;
        }, cancellationToken);

        if (missingKeys.Count > 0)
        {
            var what = string.Join("; ", missingKeys.Select(k => $"secret key {k.Key}: {string.Join(", ", k.Value.Select(t => $"{t.Value} value(s) in {t.Key}"))}"));
            throw new BackupArchiveException($"the archive's stored secrets cannot be read with the secret key this Idp is configured with (Idp:Secrets), so its devices, signing keys and data-protection keys would be unusable ({what}); configure the secret key the archive's Idp used (Idp:Secrets:KeyFile, or add it to PreviousKeyFiles) and restore again. Nothing was written");
        }

        return result;
    }

    /// <summary>
    /// Reads every row of the archive in order: the header is acted on only once the first chunk's tag (which covers
    /// it) has verified; the row counts are checked at the end; the file's SHA-256 comes back with the summary.
    /// </summary>
    private async Task<(BackupSummary Summary, byte[] FileHash)> ReadAsync(Func<Stream> open, byte[] archiveKey, string keySource, BackupTables tables, Func<IEntityType, object, Task> onRow, CancellationToken cancellationToken)
    {
        await using var file = new HashingReadStream(open());
        var (header, body) = BackupArchive.Open(file, archiveKey, keySource);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var reader = new StreamReader(body);
        var first = true;
        while (await ReadLineAsync(reader, cancellationToken) is { } line)
        {
            if (first)
            {
                CheckSchema(header);
                first = false;
            }

            var (table, row, end) = Parse(line);
            if (end is not null)
            {
                if (await ReadLineAsync(reader, cancellationToken) is not null || end.Any(s => counts.GetValueOrDefault(s.Key) != s.Value) || counts.Any(c => end.GetValueOrDefault(c.Key) != c.Value))
                {
                    throw new BackupArchiveException("the archive's rows do not match the counts it ends with");
                }

                return (new BackupSummary(header, tables.Ordered.Select(BackupTables.Table).ToDictionary(t => t, t => counts.GetValueOrDefault(t), StringComparer.Ordinal)), file.Hash());
            }

            var type = tables.Find(table!) ?? throw new BackupArchiveException($"the archive has a table {Printable(table!)} that this Idp does not know");
            await onRow(type, BackupTables.ReadRow(type, row));
            counts[table!] = counts.GetValueOrDefault(table!) + 1;
        }

        throw new BackupArchiveException("the archive ends before its last table");
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            throw new BackupArchiveException("the archive's content is damaged (it does not decompress)");
        }
    }

    private static (string? Table, JsonElement Row, Dictionary<string, long>? End) Parse(string line)
    {
        try
        {
            var root = JsonDocument.Parse(line).RootElement;
            return root.TryGetProperty("end", out var end)
                ? (null, default, end.Deserialize<Dictionary<string, long>>() ?? [])
                : (root.GetProperty("t").GetString(), root.GetProperty("r"), null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new BackupArchiveException($"the archive's content is damaged ({ex.GetType().Name})");
        }
    }

    /// <summary>The header is authenticated by now; its schema is still shown only as far as it is printable.</summary>
    private void CheckSchema(BackupHeader header)
    {
        var current = migrator.AllVersions[^1];
        if (header.Schema == current)
        {
            return;
        }

        throw new BackupArchiveException(migrator.AllVersions.Contains(header.Schema)
            ? $"the archive was taken at schema {header.Schema}, and this Idp is at {current}: restore it with the Idp release that took it, then upgrade (see Upgrading in the README)"
            : $"the archive was taken at schema {Printable(header.Schema)}, which this Idp does not know (it knows up to {current}): restore it with a release at least as new as the one that took it");
    }

    /// <summary>
    /// Refused before the target is migrated: a database that holds an older Idp schema, or rows beyond what the
    /// migrations seed, is left as it was unless <paramref name="replace"/>.
    /// </summary>
    private async Task RefuseHeldDataAsync(BackupTables tables, bool replace, CancellationToken cancellationToken)
    {
        var pending = await migrator.PendingAsync(cancellationToken);
        if (replace || pending.Count == migrator.AllVersions.Count)
        {
            return;
        }

        if (pending.Count > 0)
        {
            throw new BackupArchiveException($"{target.Describe()} already holds an Idp schema, {pending.Count} migration(s) behind this release: restore into an empty database, or add --replace to delete what it holds");
        }

        if (await CountRowsAsync(tables, cancellationToken) is { Count: > 0 } held)
        {
            throw NotEmpty(held);
        }
    }

    private BackupArchiveException NotEmpty(Dictionary<string, long> held)
        => new($"{target.Describe()} is not empty ({string.Join(", ", held.Select(h => $"{h.Value} {h.Key}"))}): restore into an empty database, or add --replace to delete what it holds");

    /// <summary>Rows per table, leaving out what the migrations seed: a database only migrated is empty.</summary>
    private async Task<Dictionary<string, long>> CountRowsAsync(BackupTables tables, CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var type in tables.Ordered)
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                command.CommandText = $"SELECT COUNT(*) FROM \"{BackupTables.Table(type)}\"" + (BackupTables.SeededByMigrations.TryGetValue(BackupTables.Table(type), out var seeded) ? $" WHERE NOT ({seeded})" : string.Empty);
                var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                if (count > 0)
                {
                    held[BackupTables.Table(type)] = count;
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return held;
    }

    /// <summary>
    /// PostgreSQL identity columns do not advance on explicit inserts: each continues after the highest id its table
    /// holds. (SQLite's AUTOINCREMENT already does.)
    /// </summary>
    private async Task ContinueIdentitiesAsync(BackupTables tables, CancellationToken cancellationToken)
    {
        if (target.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        foreach (var type in tables.Ordered)
        {
            if (type.FindPrimaryKey()?.Properties is [var key] && key.ValueGenerated == ValueGenerated.OnAdd && (key.ClrType == typeof(int) || key.ClrType == typeof(long)))
            {
                var table = BackupTables.Table(type);
                var column = key.GetColumnName();
                var continueAfterMax = $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)";
                await db.Database.ExecuteSqlRawAsync(continueAfterMax, cancellationToken);
            }
        }
    }

    /// <summary>At most 64 characters of <paramref name="text"/>, without control characters: it may come from an altered file.</summary>
    private static string Printable(string text) => new([.. text.Take(64).Where(c => !char.IsControl(c))]);
}
