using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.Accounts;

/// <summary>
/// The password lockout (Idp:Lockout), on the account's record, for built-in accounts and directory people alike (for
/// these, guessing through Idp then stops before it can trip the directory's lockout for the whole company). As with
/// the second factor, an attempt is reserved (counted as failed in advance) by one conditional UPDATE before the
/// password is hashed or the directory asked, so a burst of parallel requests on any number of nodes gets at most
/// Idp:Lockout:MaxFailedAttempts checks per lock, not one each (OWASP ASVS V2.2.1).
/// </summary>
public sealed class PasswordFailures(IdpDbContext db, IOptions<Hosting.IdpOptions> options, TimeProvider time)
{
    private bool Counts(IdpUser user) => options.Value.Lockout.Enabled && user.LockoutEnabled;

    /// <summary>False: the attempts are spent (locked, or a lock is being set); the password must not be checked.</summary>
    /// <remarks>
    /// The count stays at the limit while locked, so requests already past the lock check cannot start a new round;
    /// the first request after the lock ran out starts it, matched on the concurrency stamp the lock wrote.
    /// </remarks>
    public async Task<bool> TryReserveAsync(IdpUser user, CancellationToken cancellationToken)
    {
        if (!Counts(user))
        {
            return true;
        }

        var max = options.Value.Lockout.MaxFailedAttempts;
        if (user.AccessFailedCount >= max)
        {
            if (user.LockoutEnd is not { } end)
            {
                // Spent with no lock set: a concurrent failure is about to set it, or never will (its node stopped
                // between the two writes, or Idp:Lockout:MaxFailedAttempts was lowered below this count). Setting it
                // here makes every such account a lock that runs out, never one that only an administrator lifts.
                await LockIfSpentAsync(user, cancellationToken);
                return false;
            }

            if (end > time.GetUtcNow())
            {
                return false;
            }

            var stamp = user.ConcurrencyStamp;
            var newStamp = Guid.NewGuid().ToString();
            if (await db.Users.Where(u => u.Id == user.Id && u.AccessFailedCount >= max && u.ConcurrencyStamp == stamp)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0).SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null).SetProperty(u => u.ConcurrencyStamp, newStamp), cancellationToken) == 1)
            {
                // The account is tracked for Identity, which may save it later in this request: it must hold what the
                // row now holds, or that save would fail on the old stamp (and undo the new round).
                Written(user, 0, null, newStamp);
            }
        }

        return await db.Users.Where(u => u.Id == user.Id && u.AccessFailedCount < max)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1), cancellationToken) == 1;
    }

    /// <summary>After a wrong password (its attempt already counted): true when the count reached the limit and locked.</summary>
    public async Task<bool> LockIfSpentAsync(IdpUser user, CancellationToken cancellationToken)
    {
        if (!Counts(user))
        {
            return false;
        }

        var lockout = options.Value.Lockout;
        var until = time.GetUtcNow() + lockout.Duration;
        var max = lockout.MaxFailedAttempts;
        // An administrator's lock set meanwhile stays: a brute-force lock never shortens it.
        var administratorLock = UserLockout.AdministratorLockEnd;
        return await db.Users.Where(u => u.Id == user.Id && u.AccessFailedCount >= max && u.LockoutEnd != administratorLock)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, until).SetProperty(u => u.ConcurrencyStamp, Guid.NewGuid().ToString()), cancellationToken) == 1;
    }

    /// <summary>
    /// The password could not be judged (the directory did not answer, or the account may not sign in at all): the
    /// reserved attempt is given back, as an outage is nobody's wrong password.
    /// </summary>
    public async Task ReleaseAsync(IdpUser user, CancellationToken cancellationToken)
    {
        if (Counts(user))
        {
            await db.Users.Where(u => u.Id == user.Id && u.AccessFailedCount > 0).ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount - 1), cancellationToken);
        }
    }

    /// <summary>After a right password: the reserved attempt and earlier failures are forgiven.</summary>
    public async Task ResetAsync(IdpUser user, CancellationToken cancellationToken)
    {
        if (Counts(user))
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0), cancellationToken);
        }
    }

    private void Written(IdpUser user, int failures, DateTimeOffset? lockoutEnd, string stamp)
    {
        var entry = db.Entry(user);
        (user.AccessFailedCount, user.LockoutEnd, user.ConcurrencyStamp) = (failures, lockoutEnd, stamp);
        if (entry.State is EntityState.Unchanged or EntityState.Modified)
        {
            entry.Property(u => u.AccessFailedCount).OriginalValue = failures;
            entry.Property(u => u.LockoutEnd).OriginalValue = lockoutEnd;
            entry.Property(u => u.ConcurrencyStamp).OriginalValue = stamp;
        }
    }
}
