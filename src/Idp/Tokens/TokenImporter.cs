using Idp.Admin;
using Idp.Audit;
using Idp.Otp.Secrets;
using Idp.Otp.Tokens;
using Idp.Persistence;
using Idp.SecondFactors;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tokens;

/// <summary>
/// Puts the tokens a file read (<see cref="PskcReader"/>, <see cref="OathCsvReader"/>) into the pool, all or nothing:
/// a serial already known refuses the whole file (or is skipped when asked), an OATH CSV row naming a user assigns
/// its token in the same transaction. Each seed is encrypted as every seed is before it is stored.
/// </summary>
public sealed class TokenImporter(IdpDbContext db, TokenDevices devices, ISecretProtector protector, UserAdministration users, AuditLog audit, TimeProvider time)
{
    /// <summary>How many serials one query asks about: well under every database's parameter limit.</summary>
    private const int SerialsPerQuery = 500;

    public async Task<TokenImportResult> ImportAsync(IReadOnlyList<TokenSeed> seeds, bool skipExisting, string source, AdminActor actor, CancellationToken cancellationToken)
    {
        var known = await KnownSerialsAsync(seeds, cancellationToken);
        if (known.Count > 0 && !skipExisting)
        {
            var more = known.Count > 1 ? $" (and {known.Count - 1} more)" : string.Empty;
            return TokenImportResult.Conflicting($"the serial {known.First()} is already in the pool{more}; nothing was imported (skipping the tokens already known imports the others)");
        }

        var fresh = seeds.Where(s => !known.Contains(s.Serial)).ToList();
        var holders = new Dictionary<string, Persistence.Entities.IdpUser>(StringComparer.Ordinal);
        foreach (var seed in fresh.Where(s => s.User is not null))
        {
            var (user, problem) = await users.LookUpAsync(seed.User);
            if (user is null)
            {
                return TokenImportResult.Refused($"token {seed.Serial}: {problem} Nothing was imported.");
            }

            holders[seed.Serial] = user;
        }

        var now = time.GetUtcNow();
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var rows = fresh.ToDictionary(s => s.Serial, s => TokenRecords.FromSeed(s, protector.Protect(s.Secret, OtpSecretPurposes.OtpSeed), now.UtcDateTime), StringComparer.Ordinal);
            db.HardwareTokens.AddRange(rows.Values);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            foreach (var (serial, user) in holders)
            {
                var (deviceId, problem) = await devices.AttachAsync(user.Id, TokenRecords.ToDevice(rows[serial]), cancellationToken);
                if (deviceId is null)
                {
                    return TokenImportResult.Conflicting($"token {serial} cannot go to '{user.UserName}': {problem}. Nothing was imported.");
                }

                await db.HardwareTokens.Where(t => t.Serial == serial)
                    .ExecuteUpdateAsync(t => t.SetProperty(x => x.UserId, user.Id).SetProperty(x => x.DeviceId, deviceId), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            // Another import (another node) stored one of these serials meanwhile: this one refuses whole.
            db.ChangeTracker.Clear();
            return TokenImportResult.Conflicting("the pool changed meanwhile (another import of the same serials?); nothing was imported. Try again.");
        }

        await audit.WriteAsync(AuditEventTypes.TokensImported, actor.AuditName, details: $"{fresh.Count} token(s) imported from {source}{Range(fresh)}; {known.Count} already known, skipped", cancellationToken: cancellationToken);
        foreach (var (serial, user) in holders)
        {
            await audit.WriteAsync(AuditEventTypes.TokenAssigned, actor.AuditName, user.Id, details: $"token {serial} assigned to '{user.UserName}' at import", cancellationToken: cancellationToken);
        }

        return new TokenImportResult(fresh.Count, known.Count, holders.Count, null);
    }

    private async Task<HashSet<string>> KnownSerialsAsync(IReadOnlyList<TokenSeed> seeds, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in seeds.Select(s => s.Serial).Chunk(SerialsPerQuery))
        {
            known.UnionWith(await db.HardwareTokens.AsNoTracking().Where(t => chunk.Contains(t.Serial)).Select(t => t.Serial).ToListAsync(cancellationToken));
        }

        return known;
    }

    private static string Range(IReadOnlyList<TokenSeed> seeds)
        => seeds.Count switch
        {
            0 => string.Empty,
            1 => $" (serial {seeds[0].Serial})",
            _ => $" (serials {seeds[0].Serial} … {seeds[^1].Serial})",
        };
}
