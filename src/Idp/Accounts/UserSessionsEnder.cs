using Idp.Accounts.SecondFactor;
using Idp.Oidc.Grants;

namespace Idp.Accounts;

/// <summary>
/// Ends a user's sessions and revokes their grants (refresh tokens stop working; access tokens are refused at
/// userinfo and introspection), on every node at once since both live in the database.
/// </summary>
public sealed class UserSessionsEnder(ISessionStore sessions, IGrantStore grants, IPendingSignInStore pendingSignIns)
{
    /// <param name="keepSessionId">The session that made the change, kept when the change was the user's own.</param>
    public async Task<(int Sessions, int Grants)> EndAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        var ended = await sessions.RemoveAllOfUserAsync(userId, keepSessionId, cancellationToken);
        var revoked = await grants.RevokeAllOfUserAsync(userId, cancellationToken);
        await pendingSignIns.RemoveAllOfUserAsync(userId, keepSessionId, cancellationToken);
        return (ended, revoked);
    }
}
