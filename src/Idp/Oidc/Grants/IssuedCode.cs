namespace Idp.Oidc.Grants;

/// <summary>
/// What an authorization code stands for: everything the token request must match (client, redirect URI, PKCE
/// challenge; RFC 6749 §4.1.3, RFC 7636 §4.6) and what the tokens will say. The engine's view of a code; how it is
/// kept (as the SHA-256 of the code) is the store's.
/// </summary>
public sealed record IssuedCode(
    string ClientId,
    string RedirectUri,
    string UserId,
    string SubjectId,
    string SessionId,
    string Scopes,
    string? CodeChallenge,
    string? Nonce,
    DateTime AuthTime,
    string Acr,
    string Amr,
    DateTime CreatedAt,
    DateTime ExpiresAt)
{
    /// <summary>The grant its redemption issues tokens under, so a second redemption can revoke them (RFC 6749 §4.1.2); set by the store.</summary>
    public string? GrantId { get; init; }
}
