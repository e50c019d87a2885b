using Idp.Accounts.SecondFactor;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>The wrong-code counts in the <c>OtpFailureStates</c> table, one row per user.</summary>
internal sealed class EfSecondFactorFailureStore(IdpDbContext db) : ISecondFactorFailureStore
{
    public Task<SecondFactorFailureState?> FindAsync(string userId, CancellationToken cancellationToken)
        => db.OtpFailureStates.Where(s => s.UserId == userId)
            .Select(s => new SecondFactorFailureState(s.Failures, s.WindowStartedAt, s.LockedUntil, s.Locks))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<ReservedAttempt?> TryReserveAsync(string userId, DateTime now, DateTime windowStart, int maxFailures, CancellationToken cancellationToken)
    {
        // One statement, whichever node and however many requests at once: the user's first attempt creates the row
        // with one failure reserved; later ones reserve only while not locked and within the budget (a window that
        // is over starts again). PostgreSQL 9.5+ and SQLite 3.35+ both run this upsert, and its RETURNING, as written.
        var reserved = await db.Database.SqlQuery<ReservedAttempt>($"""
            INSERT INTO "OtpFailureStates" ("UserId", "Failures", "WindowStartedAt", "LockedUntil", "Locks") VALUES ({userId}, 1, {now}, NULL, 0)
            ON CONFLICT ("UserId") DO UPDATE SET
                "Failures" = CASE WHEN "OtpFailureStates"."WindowStartedAt" <= {windowStart} THEN 1 ELSE "OtpFailureStates"."Failures" + 1 END,
                "WindowStartedAt" = CASE WHEN "OtpFailureStates"."WindowStartedAt" <= {windowStart} THEN {now} ELSE "OtpFailureStates"."WindowStartedAt" END
            WHERE ("OtpFailureStates"."LockedUntil" IS NULL OR "OtpFailureStates"."LockedUntil" <= {now})
              AND ("OtpFailureStates"."WindowStartedAt" <= {windowStart} OR "OtpFailureStates"."Failures" <= {maxFailures})
            RETURNING "Failures", "WindowStartedAt"
            """).ToListAsync(cancellationToken);

        // SqlQuery maps ReservedAttempt outside the model, without its UTC converter: SQLite's text comes back
        // unspecified, and the give-back's comparison would shift it by the host's time zone and never match.
        return reserved is [var attempt] ? attempt with { WindowStartedAt = DateTime.SpecifyKind(attempt.WindowStartedAt, DateTimeKind.Utc) } : null;
    }

    public async Task<bool> TryLockAsync(string userId, int maxFailures, int locks, DateTime until, DateTime now, CancellationToken cancellationToken)
        => await db.OtpFailureStates
            .Where(s => s.UserId == userId && s.Failures > maxFailures && s.Locks == locks)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LockedUntil, until)
                .SetProperty(x => x.Locks, x => x.Locks + 1)
                .SetProperty(x => x.Failures, 0)
                .SetProperty(x => x.WindowStartedAt, now), cancellationToken) == 1;

    public Task GiveBackAsync(string userId, ReservedAttempt attempt, CancellationToken cancellationToken)
    {
        var (counted, window) = (attempt.Failures, attempt.WindowStartedAt);
        return db.OtpFailureStates
            .Where(s => s.UserId == userId && s.WindowStartedAt == window)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Failures, x => x.Failures > counted ? x.Failures - counted : 0), cancellationToken);
    }

    public Task ClearAsync(string userId, CancellationToken cancellationToken)
        => db.OtpFailureStates.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
