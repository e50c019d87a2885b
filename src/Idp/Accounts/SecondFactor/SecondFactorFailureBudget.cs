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
/// given back when the code is right, so the limit holds for concurrent requests on any number of nodes.
/// </summary>
public sealed class SecondFactorFailureBudget(IdpDbContext db, IOptionsMonitor<OtpOptions> options, TimeProvider time)
{
    private static readonly TimeSpan LongestLock = TimeSpan.FromDays(1);

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
        // Twice at most: a user's first attempt finds no row; it is created (or found created by a concurrent
        // request) and the same conditional update then decides.
        for (var attempt = 0; ; attempt++)
        {
            var reserved = await db.OtpFailureStates
                .Where(s => s.UserId == userId
                    && (s.LockedUntil == null || s.LockedUntil <= now)
                    && (s.WindowStartedAt <= windowStart || s.Failures <= max))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Failures, x => x.WindowStartedAt <= windowStart ? 1 : x.Failures + 1)
                    .SetProperty(x => x.WindowStartedAt, x => x.WindowStartedAt <= windowStart ? now : x.WindowStartedAt), cancellationToken);
            if (reserved == 1 || attempt == 1)
            {
                return reserved == 1;
            }

            // Both databases accept ON CONFLICT DO NOTHING (PostgreSQL 9.5+, SQLite 3.24+).
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "OtpFailureStates" ("UserId", "Failures", "WindowStartedAt", "LockedUntil", "Locks") VALUES ({userId}, 0, {now}, NULL, 0) ON CONFLICT ("UserId") DO NOTHING""",
                cancellationToken);
        }
    }

    /// <summary>
    /// After a reserved attempt turned out wrong: locks the second factor when the budget is exceeded; returns the
    /// lock's end when this failure set it (exactly one of several concurrent failures does).
    /// </summary>
    public async Task<DateTime?> LockIfExceededAsync(string userId, CancellationToken cancellationToken)
    {
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

    /// <summary>A right code: the reserved attempt and earlier failures are forgiven (the lock history is kept).</summary>
    public Task ResetAsync(string userId, CancellationToken cancellationToken)
        => db.OtpFailureStates.Where(s => s.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Failures, 0), cancellationToken);

    /// <summary>An administrator clears the lock and the count.</summary>
    public Task ClearAsync(string userId, CancellationToken cancellationToken)
        => db.OtpFailureStates.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
