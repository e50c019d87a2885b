using Idp.Oidc.Tokens;

namespace Idp.Oidc.Grants;

/// <summary>
/// Codes, grants and revoked access tokens: the engine's side of the store boundary; the database's side is
/// <c>Persistence/Stores/EfGrantStore</c>. Handles are kept as their SHA-256 (<see cref="TokenHandles"/>), and every
/// single use is one conditional write, so two nodes never both succeed.
/// </summary>
public interface IGrantStore
{
    /// <summary>Stores a code and, with it, the grant its redemption will issue under (so a replay can revoke it); the code.</summary>
    Task<string> CreateCodeAsync(IssuedCode issued, CancellationToken cancellationToken);

    /// <summary>Uses a code up, once; a second use revokes the grant it was redeemed under (RFC 6749 §4.1.2).</summary>
    Task<(ConsumeStatus Status, IssuedCode? Issued)> ConsumeCodeAsync(string code, CancellationToken cancellationToken);

    Task<string> CreateGrantAsync(string clientId, string? userId, string? sessionId, CancellationToken cancellationToken);

    Task<bool> IsGrantActiveAsync(string grantId, CancellationToken cancellationToken);

    /// <summary>Revokes a grant: its refresh tokens stop working, and its access tokens fail at userinfo and introspection.</summary>
    Task<bool> RevokeGrantAsync(string grantId, CancellationToken cancellationToken);

    /// <summary>Revokes every active grant of the user (their sessions were ended); how many.</summary>
    Task<int> RevokeAllOfUserAsync(string userId, CancellationToken cancellationToken);

    Task RevokeAccessTokenAsync(string jti, DateTime expiresAt, CancellationToken cancellationToken);

    /// <summary>In one round trip: the access token's jti is not revoked, and its grant (when it has one) is still active.</summary>
    Task<bool> IsAccessTokenUsableAsync(string jti, string? grantId, CancellationToken cancellationToken);

    /// <summary>For userinfo, in one round trip: whether the token (or its grant) was revoked, and the user behind its <c>sub</c>.</summary>
    Task<(bool Revoked, TokenUser? User)> FindAccessTokenUserAsync(string subjectId, string jti, string? grantId, CancellationToken cancellationToken);

    /// <summary>For the token endpoint, in one round trip: the user a still-active grant belongs to; null otherwise.</summary>
    Task<TokenUser?> FindActiveGrantUserAsync(string grantId, string userId, CancellationToken cancellationToken);
}
