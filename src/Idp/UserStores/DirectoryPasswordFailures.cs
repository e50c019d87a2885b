using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.UserStores;

/// <summary>
/// Idp's own lockout (Idp:Lockout) for directory people, on their local record, so guessing through Idp stops before
/// it can trip the directory's lockout for the whole company. The count is moved by conditional UPDATEs, never
/// read-modify-write: concurrent wrong passwords on several nodes all count.
/// </summary>
public sealed class DirectoryPasswordFailures(IdpDbContext db, IOptions<Hosting.IdpOptions> options, TimeProvider time)
{
    /// <returns>True when this failure locked the account.</returns>
    public async Task<bool> RecordAsync(IdpUser user, CancellationToken cancellationToken)
    {
        var lockout = options.Value.Lockout;
        if (!lockout.Enabled || !user.LockoutEnabled)
        {
            return false;
        }

        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1), cancellationToken);
        var until = time.GetUtcNow() + lockout.Duration;
        var max = lockout.MaxFailedAttempts;
        var locked = await db.Users.Where(u => u.Id == user.Id && u.AccessFailedCount >= max)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, until).SetProperty(u => u.AccessFailedCount, 0), cancellationToken);
        return locked == 1;
    }

    public async Task ResetAsync(IdpUser user, CancellationToken cancellationToken)
    {
        if (user.AccessFailedCount > 0)
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0), cancellationToken);
        }
    }
}
