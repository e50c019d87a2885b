namespace Idp.Accounts.SecondFactor;

/// <summary>
/// The per-user wrong-code counts: the accounts side of the store boundary; the database's side is
/// <c>Persistence/Stores/EfSecondFactorFailureStore</c>. <see cref="SecondFactorFailureBudget"/> decides; every write
/// here is one conditional statement, so the budget holds for concurrent requests on any number of nodes.
/// </summary>
public interface ISecondFactorFailureStore
{
    Task<SecondFactorFailureState?> FindAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one attempt unless the user is locked at <paramref name="now"/> or already has more than
    /// <paramref name="maxFailures"/> in a window that started after <paramref name="windowStart"/> (an older window
    /// starts again at one); what the count then is, or null when nothing was counted.
    /// </summary>
    Task<ReservedAttempt?> TryReserveAsync(string userId, DateTime now, DateTime windowStart, int maxFailures, CancellationToken cancellationToken);

    /// <summary>
    /// Locks until <paramref name="until"/> while the count is over <paramref name="maxFailures"/> and the lock count is
    /// still <paramref name="locks"/> (so one of several concurrent failures sets it); starts a new window at <paramref name="now"/>.
    /// </summary>
    Task<bool> TryLockAsync(string userId, int maxFailures, int locks, DateTime until, DateTime now, CancellationToken cancellationToken);

    /// <summary>Subtracts the reserved count, in the reservation's window only.</summary>
    Task GiveBackAsync(string userId, ReservedAttempt attempt, CancellationToken cancellationToken);

    Task ClearAsync(string userId, CancellationToken cancellationToken);
}
