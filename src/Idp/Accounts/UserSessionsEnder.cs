using Idp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Idp.Accounts;

/// <summary>
/// Ends a user's sessions and revokes their grants (refresh tokens stop working; access tokens are refused at
/// userinfo and introspection), on every node at once since both live in the database.
/// </summary>
public sealed class UserSessionsEnder(IdpDbContext db, TimeProvider time)
{
    /// <param name="keepSessionId">The session that made the change, kept when the change was the user's own.</param>
    public async Task<(int Sessions, int Grants)> EndAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var sessions = await db.UserSessions.Where(s => s.UserId == userId && s.Id != keepSessionId).ExecuteDeleteAsync(cancellationToken);
        var grants = await db.Grants.Where(g => g.UserId == userId && g.RevokedAt == null).ExecuteUpdateAsync(g => g.SetProperty(x => x.RevokedAt, now), cancellationToken);
        await db.PendingSignIns.Where(p => p.UserId == userId && p.SessionId != keepSessionId).ExecuteDeleteAsync(cancellationToken);
        return (sessions, grants);
    }
}
