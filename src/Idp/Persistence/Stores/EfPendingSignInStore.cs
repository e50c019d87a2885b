using Idp.Accounts.SecondFactor;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>Pending sign-ins in the <c>PendingSignIns</c> table; each change is one conditional statement.</summary>
internal sealed class EfPendingSignInStore(IdpDbContext db) : IPendingSignInStore
{
    public async Task AddAsync(StoredPendingSignIn pending, CancellationToken cancellationToken)
    {
        await db.PendingSignIns.Where(p => p.UserId == pending.UserId && p.ExpiresAt <= pending.CreatedAt).ExecuteDeleteAsync(cancellationToken);
        db.PendingSignIns.Add(new PendingSignIn
        {
            Id = pending.Id,
            UserId = pending.UserId,
            ReturnUrl = pending.ReturnUrl,
            PriorAmr = pending.PriorAmr,
            Purpose = pending.Purpose,
            SessionId = pending.SessionId,
            AuthTime = pending.AuthTime,
            ReplacesDeviceId = pending.ReplacesDeviceId,
            CreatedAt = pending.CreatedAt,
            ExpiresAt = pending.ExpiresAt,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<StoredPendingSignIn?> FindAsync(string id, DateTime now, CancellationToken cancellationToken)
        => db.PendingSignIns.Where(p => p.Id == id && p.ExpiresAt > now)
            .Select(p => new StoredPendingSignIn
            {
                Id = p.Id,
                UserId = p.UserId,
                ReturnUrl = p.ReturnUrl,
                PriorAmr = p.PriorAmr,
                Purpose = p.Purpose,
                SessionId = p.SessionId,
                AuthTime = p.AuthTime,
                ReplacesDeviceId = p.ReplacesDeviceId,
                EnrollmentSecret = p.EnrollmentSecret,
                CreatedAt = p.CreatedAt,
                ExpiresAt = p.ExpiresAt,
            })
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> TryReserveAttemptAsync(string id, int retries, DateTime now, CancellationToken cancellationToken)
        => await db.PendingSignIns.Where(p => p.Id == id && p.Failures < retries && p.ExpiresAt > now)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.Failures, x => x.Failures + 1), cancellationToken) == 1;

    public async Task<bool> AttemptsUsedUpAsync(string id, int retries, CancellationToken cancellationToken)
        => !await db.PendingSignIns.AnyAsync(p => p.Id == id && p.Failures < retries, cancellationToken);

    public async Task<bool> TryAdvanceAsync(string id, PendingSignInPurpose from, PendingSignInPurpose to, CancellationToken cancellationToken)
        => await db.PendingSignIns.Where(p => p.Id == id && p.Purpose == from)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.Purpose, to).SetProperty(x => x.Failures, 0), cancellationToken) == 1;

    public async Task<string> EnsureEnrollmentSecretAsync(string id, string protectedSecret, CancellationToken cancellationToken)
    {
        await db.PendingSignIns.Where(p => p.Id == id && p.EnrollmentSecret == null)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.EnrollmentSecret, protectedSecret), cancellationToken);
        return (await db.PendingSignIns.Where(p => p.Id == id).Select(p => p.EnrollmentSecret).FirstAsync(cancellationToken))!;
    }

    public async Task<bool> TryClaimEnrollmentAsync(string id, string checkedState, CancellationToken cancellationToken)
        => await db.PendingSignIns.Where(p => p.Id == id && p.EnrollmentSecret == checkedState)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.EnrollmentSecret, (string?)null), cancellationToken) == 1;

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
        => await db.PendingSignIns.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken) == 1;

    public Task RemoveAllOfUserAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
        // A pending sign-in from the password page continues no session (SessionId null): it always goes. (C#'s null
        // semantics would otherwise keep it whenever no session is kept: null != null is false.)
        => db.PendingSignIns.Where(p => p.UserId == userId && (p.SessionId == null || p.SessionId != keepSessionId)).ExecuteDeleteAsync(cancellationToken);
}
