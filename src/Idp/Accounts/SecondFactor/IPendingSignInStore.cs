using Idp.Persistence.Entities;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// Pending sign-ins: the accounts side of the store boundary; the database's side is
/// <c>Persistence/Stores/EfPendingSignInStore</c>. Every change is one conditional write, so of concurrent requests
/// on any number of nodes exactly one wins it.
/// </summary>
public interface IPendingSignInStore
{
    /// <summary>Stores a new pending sign-in, dropping the user's expired ones first.</summary>
    Task AddAsync(StoredPendingSignIn pending, CancellationToken cancellationToken);

    /// <summary>The pending sign-in with this id that has not expired at <paramref name="now"/>; null otherwise.</summary>
    Task<StoredPendingSignIn?> FindAsync(string id, DateTime now, CancellationToken cancellationToken);

    /// <summary>Counts one attempt while fewer than <paramref name="retries"/> were made and it has not expired; false otherwise.</summary>
    Task<bool> TryReserveAttemptAsync(string id, int retries, DateTime now, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="retries"/> attempts were made (or the row is gone).</summary>
    Task<bool> AttemptsUsedUpAsync(string id, int retries, CancellationToken cancellationToken);

    /// <summary>Moves the purpose on, once, and starts its attempts again.</summary>
    Task<bool> TryAdvanceAsync(string id, PendingSignInPurpose from, PendingSignInPurpose to, CancellationToken cancellationToken);

    /// <summary>Stores the enrollment state unless one is there already; the one that is there after the call.</summary>
    Task<string> EnsureEnrollmentSecretAsync(string id, string protectedSecret, CancellationToken cancellationToken);

    /// <summary>Takes the enrollment state off the row while it is still <paramref name="checkedState"/>; true for exactly one caller.</summary>
    Task<bool> TryClaimEnrollmentAsync(string id, string checkedState, CancellationToken cancellationToken);

    /// <summary>Deletes it; true for exactly one caller.</summary>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes the user's pending sign-ins but those continuing <paramref name="keepSessionId"/>.</summary>
    Task RemoveAllOfUserAsync(string userId, string? keepSessionId, CancellationToken cancellationToken);
}
