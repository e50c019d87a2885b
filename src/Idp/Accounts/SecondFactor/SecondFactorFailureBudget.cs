using Idp.Otp.Options;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// The per-user wrong-code budget, apart from the password lockout and shared by every code check: more than
/// <c>Otp:MaxFailures</c> wrong codes in <c>Otp:FailureWindow</c> lock the second factor for
/// <c>Otp:LockoutDuration</c>, doubling with each lock (RFC 4226 §7.3, NIST SP 800-63B §5.2.2).
/// An attempt is reserved (counted as wrong in advance) by one conditional UPDATE before any secret is touched and
/// given back when the code is right, so the limit holds for concurrent requests on any number of nodes. A right
/// code gives back its own attempt and the failures counted before it, never attempts reserved after it: those are
/// other requests' guesses, still being checked.
/// </summary>
public sealed class SecondFactorFailureBudget(IdpDbContext db, IOptionsMonitor<OtpOptions> options, TimeProvider time)
{
    private static readonly TimeSpan LongestLock = TimeSpan.FromDays(1);

    // Per request (this class is scoped): the users an attempt was reserved for and not yet settled, and those whose
    // attempt was given back by the write that recorded the accepted code (see ReservationGivenBack).
    private readonly Dictionary<string, ReservedAttempt> _reserved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _givenBack = new(StringComparer.Ordinal);

    public async Task<DateTime?> LockedUntilAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var state = await db.OtpFailureStates.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        return state?.LockedUntil is { } until && until > now ? until : null;
    }

    /// <summary>
    /// Takes one attempt from the budget; false when the second factor is locked or the budget is spent (the
    /// attempt must then not be checked). A new window starts when the old one is over.
    /// </summary>
    public async Task<bool> TryReserveAsync(string userId, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var windowStart = now - settings.FailureWindow;
        var max = settings.MaxFailures;
        // One statement, whichever node and however many requests at once: the user's first attempt creates the row
        // with one failure reserved; later ones reserve only while not locked and within the budget (a window that
        // is over starts again). PostgreSQL 9.5+ and SQLite 3.35+ both run this upsert, and its RETURNING, as written.
        var reserved = await db.Database.SqlQuery<ReservedAttempt>($"""
            INSERT INTO "OtpFailureStates" ("UserId", "Failures", "WindowStartedAt", "LockedUntil", "Locks") VALUES ({userId}, 1, {now}, NULL, 0)
            ON CONFLICT ("UserId") DO UPDATE SET
                "Failures" = CASE WHEN "OtpFailureStates"."WindowStartedAt" <= {windowStart} THEN 1 ELSE "OtpFailureStates"."Failures" + 1 END,
                "WindowStartedAt" = CASE WHEN "OtpFailureStates"."WindowStartedAt" <= {windowStart} THEN {now} ELSE "OtpFailureStates"."WindowStartedAt" END
            WHERE ("OtpFailureStates"."LockedUntil" IS NULL OR "OtpFailureStates"."LockedUntil" <= {now})
              AND ("OtpFailureStates"."WindowStartedAt" <= {windowStart} OR "OtpFailureStates"."Failures" <= {max})
            RETURNING "Failures", "WindowStartedAt"
            """).ToListAsync(cancellationToken);
        if (reserved is [var attempt])
        {
            // SqlQuery maps ReservedAttempt outside the model, without its UTC converter: SQLite's text comes back
            // unspecified, and ResetAsync's comparison would shift it by the host's time zone and never match.
            _reserved[userId] = attempt with { WindowStartedAt = DateTime.SpecifyKind(attempt.WindowStartedAt, DateTimeKind.Utc) };
            return true;
        }

        return false;
    }

    /// <summary>The attempt this request reserved for the user and has not settled: the write recording an accepted code may give it back.</summary>
    public bool TryGetReservation(string userId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReservedAttempt? attempt) => _reserved.TryGetValue(userId, out attempt);

    /// <summary>
    /// The document store gave the attempt back in the same statement that recorded the accepted code
    /// (as <see cref="ResetAsync"/> would); <see cref="ResetAsync"/> then has nothing left to do.
    /// </summary>
    public void ReservationGivenBack(string userId)
    {
        _reserved.Remove(userId);
        _givenBack.Add(userId);
    }

    /// <summary>
    /// After a reserved attempt turned out wrong: locks the second factor when the budget is exceeded; returns the
    /// lock's end when this failure set it (exactly one of several concurrent failures does).
    /// </summary>
    public async Task<DateTime?> LockIfExceededAsync(string userId, CancellationToken cancellationToken)
    {
        _reserved.Remove(userId);
        var settings = options.CurrentValue;
        var state = await db.OtpFailureStates.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        if (state is null || state.Failures <= settings.MaxFailures)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var duration = TimeSpan.FromTicks(Math.Min(LongestLock.Ticks, settings.LockoutDuration.Ticks * (1L << Math.Min(state.Locks, 16))));
        var until = now + duration;
        var locks = state.Locks;
        var locked = await db.OtpFailureStates
            .Where(s => s.UserId == userId && s.Failures > settings.MaxFailures && s.Locks == locks)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LockedUntil, until)
                .SetProperty(x => x.Locks, x => x.Locks + 1)
                .SetProperty(x => x.Failures, 0)
                .SetProperty(x => x.WindowStartedAt, now), cancellationToken);
        return locked == 1 ? until : null;
    }

    /// <summary>
    /// A right code: the reserved attempt and the failures counted before it are forgiven; attempts reserved after it
    /// by concurrent requests, and the lock history, are kept. Nothing changes when the window has moved on since the
    /// reservation (a lock or a new window already settled those failures).
    /// </summary>
    public async Task ResetAsync(string userId, CancellationToken cancellationToken)
    {
        if (_givenBack.Remove(userId) || !_reserved.Remove(userId, out var attempt))
        {
            return;
        }

        var (counted, window) = (attempt.Failures, attempt.WindowStartedAt);
        await db.OtpFailureStates
            .Where(s => s.UserId == userId && s.WindowStartedAt == window)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Failures, x => x.Failures > counted ? x.Failures - counted : 0), cancellationToken);
    }

    /// <summary>An administrator clears the lock and the count.</summary>
    public Task ClearAsync(string userId, CancellationToken cancellationToken)
        => db.OtpFailureStates.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
