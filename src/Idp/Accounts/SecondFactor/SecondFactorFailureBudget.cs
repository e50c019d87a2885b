using Idp.Otp.Options;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// The per-user wrong-code budget, apart from the password lockout and shared by every code check: more than
/// <c>Otp:MaxFailures</c> wrong codes in <c>Otp:FailureWindow</c> lock the second factor for
/// <c>Otp:LockoutDuration</c>, doubling with each lock (RFC 4226 §7.3, NIST SP 800-63B §5.2.2).
/// An attempt is reserved (counted as wrong in advance) by one conditional write before any secret is touched and
/// given back when the code is right, so the limit holds for concurrent requests on any number of nodes. A right
/// code gives back its own attempt and the failures counted before it, never attempts reserved after it: those are
/// other requests' guesses, still being checked.
/// </summary>
public sealed class SecondFactorFailureBudget(ISecondFactorFailureStore store, IOptionsMonitor<OtpOptions> options, TimeProvider time)
{
    private static readonly TimeSpan LongestLock = TimeSpan.FromDays(1);

    // Per request (this class is scoped): the users an attempt was reserved for and not yet settled, and those whose
    // attempt was given back by the write that recorded the accepted code (see ReservationGivenBack).
    private readonly Dictionary<string, ReservedAttempt> _reserved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _givenBack = new(StringComparer.Ordinal);

    public async Task<DateTime?> LockedUntilAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var state = await store.FindAsync(userId, cancellationToken);
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
        if (await store.TryReserveAsync(userId, now, now - settings.FailureWindow, settings.MaxFailures, cancellationToken) is not { } attempt)
        {
            return false;
        }

        _reserved[userId] = attempt;
        return true;
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
        var state = await store.FindAsync(userId, cancellationToken);
        if (state is null || state.Failures <= settings.MaxFailures)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var duration = TimeSpan.FromTicks(Math.Min(LongestLock.Ticks, settings.LockoutDuration.Ticks * (1L << Math.Min(state.Locks, 16))));
        var until = now + duration;
        return await store.TryLockAsync(userId, settings.MaxFailures, state.Locks, until, now, cancellationToken) ? until : null;
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

        await store.GiveBackAsync(userId, attempt, cancellationToken);
    }

    /// <summary>An administrator clears the lock and the count.</summary>
    public Task ClearAsync(string userId, CancellationToken cancellationToken)
        => store.ClearAsync(userId, cancellationToken);
}
