using Idp.Accounts.SecondFactor;
using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>
/// Each user's second-factor document, one row per user. Every write is a compare-and-set on <c>Version</c>
/// (<c>UPDATE … WHERE Version = @expected</c>, one row or none), never read-then-write.
/// </summary>
internal sealed class EfSecondFactorDocumentStore(IdpDbContext db, SecondFactorDocumentCopies copies, SecondFactorFailureBudget budget, TimeProvider time) : ISecondFactorDocumentStore
{
    public async Task<StoredDocument> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        if (copies.TryGet(userId, out var copy))
        {
            return copy;
        }

        var row = await db.SecondFactorDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.UserId == userId, cancellationToken);
        var read = row is null ? StoredDocument.None : new StoredDocument(row.DevicesJson, row.Version);
        copies.Keep(userId, read);
        return read;
    }

    public async Task<bool> TryReplaceAsync(string userId, string json, long expectedVersion, CancellationToken cancellationToken)
    {
        copies.Forget(userId);
        var now = time.GetUtcNow().UtcDateTime;
        if (expectedVersion == 0)
        {
            db.SecondFactorDocuments.Add(new SecondFactorDocumentRecord { UserId = userId, DevicesJson = json, Version = 1, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException)
            {
                // Another writer inserted the row first (primary key clash).
                db.ChangeTracker.Clear();
                return false;
            }
        }

        var updated = await db.SecondFactorDocuments
            .Where(d => d.UserId == userId && d.Version == expectedVersion)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.DevicesJson, json).SetProperty(x => x.Version, expectedVersion + 1).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        return updated == 1;
    }

    /// <summary>
    /// On PostgreSQL, the accepted code's write also gives back the attempt the guarded path reserved for it, in the
    /// same statement: one round trip fewer on every accepted code (#13), and never one without the other. The
    /// attempt is given back only when the document was written (the upsert reads the update's RETURNING rows).
    /// Elsewhere, or without a reservation held by this request, it is the plain compare-and-set, and
    /// <see cref="SecondFactorAttempts"/> gives the attempt back after it.
    /// </summary>
    public async Task<bool> TryConsumeAsync(string userId, string json, long expectedVersion, CancellationToken cancellationToken)
    {
        if (expectedVersion == 0 || !budget.TryGetReservation(userId, out var attempt) || !db.Database.IsNpgsql())
        {
            return await TryReplaceAsync(userId, json, expectedVersion, cancellationToken);
        }

        copies.Forget(userId);
        var now = time.GetUtcNow().UtcDateTime;
        var next = expectedVersion + 1;
        // One statement: the compare-and-set, and from its RETURNING (so only when it wrote) the attempt given back,
        // as SecondFactorFailureBudget.ResetAsync gives it back: this attempt and those counted before it, in the
        // window it was counted in. The upsert's count is the write's (1 or 0); it also stands if an administrator
        // cleared the row meanwhile.
        var (counted, window) = (attempt.Failures, attempt.WindowStartedAt);
        var written = await db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH written AS (
                UPDATE "UserOtpDevices" SET "DevicesJson" = {json}, "Version" = {next}, "UpdatedAt" = {now}
                WHERE "UserId" = {userId} AND "Version" = {expectedVersion}
                RETURNING "UserId")
            INSERT INTO "OtpFailureStates" ("UserId", "Failures", "WindowStartedAt", "LockedUntil", "Locks")
            SELECT "UserId", 0, {now}, NULL, 0 FROM written
            ON CONFLICT ("UserId") DO UPDATE SET "Failures" = CASE
                WHEN "OtpFailureStates"."WindowStartedAt" <> {window} THEN "OtpFailureStates"."Failures"
                WHEN "OtpFailureStates"."Failures" > {counted} THEN "OtpFailureStates"."Failures" - {counted}
                ELSE 0 END
            """, cancellationToken);
        if (written == 1)
        {
            budget.ReservationGivenBack(userId);
            return true;
        }

        return false;
    }
}
