using Idp.Otp.Options;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// The per-user wrong-code budget, apart from the password lockout: more than <c>Otp:MaxFailures</c> wrong codes in
/// <c>Otp:FailureWindow</c> lock the second factor for <c>Otp:LockoutDuration</c>, doubling with each lock.
/// </summary>
public sealed class OtpFailureBudget(IdpDbContext db, IOptionsMonitor<OtpOptions> options, TimeProvider time)
{
    private static readonly TimeSpan LongestLock = TimeSpan.FromDays(1);

    public async Task<DateTime?> LockedUntilAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var state = await db.OtpFailureStates.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        return state?.LockedUntil is { } until && until > now ? until : null;
    }

    /// <summary>Counts a wrong code; returns the lock end when this failure locked the second factor.</summary>
    public async Task<DateTime?> RecordFailureAsync(string userId, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var state = await db.OtpFailureStates.FirstOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        if (state is null)
        {
            state = new OtpFailureState { UserId = userId, WindowStartedAt = now };
            db.OtpFailureStates.Add(state);
        }

        if (now - state.WindowStartedAt > settings.FailureWindow)
        {
            state.Failures = 0;
            state.WindowStartedAt = now;
        }

        state.Failures++;
        DateTime? locked = null;
        if (state.Failures > settings.MaxFailures)
        {
            var duration = TimeSpan.FromTicks(Math.Min(LongestLock.Ticks, settings.LockoutDuration.Ticks * (1L << Math.Min(state.Locks, 16))));
            state.LockedUntil = locked = now + duration;
            state.Locks++;
            state.Failures = 0;
            state.WindowStartedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first failures at once both inserted; the other one counted. Close enough for a budget.
            db.ChangeTracker.Clear();
        }

        return locked;
    }

    public Task ResetAsync(string userId, CancellationToken cancellationToken)
        => db.OtpFailureStates.Where(s => s.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Failures, 0), cancellationToken);

    /// <summary>An administrator clears the lock and the count.</summary>
    public Task ClearAsync(string userId, CancellationToken cancellationToken)
        => db.OtpFailureStates.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
}
