using System.Text.Json;
using System.Text.RegularExpressions;
using Idp.Hosting;
using Idp.Persistence;
using Idp.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Idp.Backup;

/// <summary>
/// <c>Idp restore</c>: reads the whole archive once to check it (every chunk's tag, every row, the secret keys it
/// needs), and only then writes it, in one transaction, into a database migrated to the archive's schema level.
/// Whatever is refused is refused before anything is written.
/// </summary>
internal sealed partial class DatabaseRestore(IdpDbContext db, DatabaseTarget target, DatabaseMigrator migrator, SecretKeyRing keys)
{
    private const int Batch = 500;

    /// <param name="open">Opens the archive file (it is read twice: checked, then restored).</param>
    /// <param name="replace">Delete what the target holds first, in the same transaction; otherwise a non-empty target is refused.</param>
    public async Task<BackupSummary> RestoreAsync(Func<Stream> open, byte[] archiveKey, string keySource, bool replace, CancellationToken cancellationToken)
    {
        var tables = new BackupTables(db.Model);
        var checkedSummary = await CheckAsync(open, archiveKey, keySource, tables, cancellationToken);

        await migrator.MigrateAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var held = await CountRowsAsync(tables, cancellationToken);
        if (held.Count > 0 && !replace)
        {
            throw new BackupArchiveException($"{target.Describe()} is not empty ({string.Join(", ", held.Select(h => $"{h.Value} {h.Key}"))}): restore into an empty database, or add --replace to delete what it holds");
        }

        // Also what the migrations seeded: the archive holds its own copy of those rows.
        foreach (var type in tables.Ordered.Reverse())
        {
            // Table names come from the EF model, never from the archive.
            var delete = $"DELETE FROM \"{BackupTables.Table(type)}\"";
            await db.Database.ExecuteSqlRawAsync(delete, cancellationToken);
        }

        var pending = 0;
        await ReadAsync(open, archiveKey, keySource, tables, async (type, row) =>
        {
            db.Add(BackupTables.ReadRow(type, row));
            if (++pending == Batch)
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                pending = 0;
            }
        }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await ContinueIdentitiesAsync(tables, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return checkedSummary;
    }

    /// <summary>The first read: nothing is written; any problem is a <see cref="BackupArchiveException"/>.</summary>
    private async Task<BackupSummary> CheckAsync(Func<Stream> open, byte[] archiveKey, string keySource, BackupTables tables, CancellationToken cancellationToken)
    {
        var missingKeys = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        var summary = await ReadAsync(open, archiveKey, keySource, tables, (type, row) =>
        {
            BackupTables.ReadRow(type, row);
            foreach (Match match in ProtectedValue().Matches(row.GetRawText()))
            {
                var keyId = match.Groups[1].Value;
                if (!keys.TryFind(keyId, out _))
                {
                    var perTable = missingKeys.TryGetValue(keyId, out var found) ? found : missingKeys[keyId] = new(StringComparer.Ordinal);
                    perTable[BackupTables.Table(type)] = perTable.GetValueOrDefault(BackupTables.Table(type)) + 1;
                }
            }

            return Task.CompletedTask;
        }, cancellationToken);

        if (missingKeys.Count > 0)
        {
            var what = string.Join("; ", missingKeys.Select(k => $"secret key {k.Key}: {string.Join(", ", k.Value.Select(t => $"{t.Value} value(s) in {t.Key}"))}"));
            throw new BackupArchiveException($"the archive's stored secrets cannot be read with the secret key this Idp is configured with (Idp:Secrets), so its devices, signing keys and data-protection keys would be unusable ({what}); configure the secret key the archive's Idp used (Idp:Secrets:KeyFile, or add it to PreviousKeyFiles) and restore again. Nothing was written");
        }

        return summary;
    }

    /// <summary>Reads every row of the archive in order, checking its header and, at the end, its counts.</summary>
    private async Task<BackupSummary> ReadAsync(Func<Stream> open, byte[] archiveKey, string keySource, BackupTables tables, Func<IEntityType, JsonElement, Task> onRow, CancellationToken cancellationToken)
    {
        await using var file = open();
        var (header, body) = BackupArchive.Open(file, archiveKey, keySource);
        CheckSchema(header);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var reader = new StreamReader(body);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("end", out var end))
                {
                    var stated = end.Deserialize<Dictionary<string, long>>() ?? [];
                    if (await reader.ReadLineAsync(cancellationToken) is not null || stated.Any(s => counts.GetValueOrDefault(s.Key) != s.Value) || counts.Any(c => stated.GetValueOrDefault(c.Key) != c.Value))
                    {
                        throw new BackupArchiveException("the archive's rows do not match the counts it ends with");
                    }

                    return new BackupSummary(header, tables.Ordered.Select(BackupTables.Table).ToDictionary(t => t, t => counts.GetValueOrDefault(t), StringComparer.Ordinal));
                }

                var table = root.GetProperty("t").GetString() ?? string.Empty;
                var type = tables.Find(table) ?? throw new BackupArchiveException($"the archive has a table {table} that this Idp does not know");
                await onRow(type, root.GetProperty("r"));
                counts[table] = counts.GetValueOrDefault(table) + 1;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException)
        {
            throw new BackupArchiveException($"the archive's content is damaged ({ex.GetType().Name})");
        }

        throw new BackupArchiveException("the archive ends before its last table");
    }

    private void CheckSchema(BackupHeader header)
    {
        var current = migrator.AllVersions[^1];
        if (header.Schema == current)
        {
            return;
        }

        throw new BackupArchiveException(migrator.AllVersions.Contains(header.Schema)
            ? $"the archive was taken at schema {header.Schema}, and this Idp is at {current}: restore it with the Idp release that took it, then upgrade (see Upgrading in the README)"
            : $"the archive was taken at schema {header.Schema}, which this Idp does not know (it knows up to {current}): restore it with a release at least as new as the one that took it");
    }

    /// <summary>Rows per table, leaving out what the migrations seed: a database only migrated is empty.</summary>
    private async Task<Dictionary<string, long>> CountRowsAsync(BackupTables tables, CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        foreach (var type in tables.Ordered)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = $"SELECT COUNT(*) FROM \"{BackupTables.Table(type)}\"" + (BackupTables.SeededByMigrations.TryGetValue(BackupTables.Table(type), out var seeded) ? $" WHERE NOT ({seeded})" : string.Empty);
            var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (count > 0)
            {
                held[BackupTables.Table(type)] = count;
            }
        }

        return held;
    }

    /// <summary>
    /// PostgreSQL identity columns do not advance on explicit inserts: each continues after the highest restored id.
    /// (SQLite's AUTOINCREMENT already does.)
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

    /// <summary>A value protected by <see cref="SecretProtector"/>: <c>{idp}v1.&lt;key id&gt;.…</c>.</summary>
    [GeneratedRegex(@"\{idp\}v1\.([0-9a-f]{12})\.", RegexOptions.CultureInvariant)]
    private static partial Regex ProtectedValue();
}
