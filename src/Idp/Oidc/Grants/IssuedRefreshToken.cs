namespace Idp.Oidc.Grants;

/// <summary>
/// What a refresh token stands for: its grant, client and user, and what the tokens it is exchanged for will say.
/// The engine's view of a token; how it is kept (as its SHA-256, rotated on every use) is the store's.
/// </summary>
internal sealed record IssuedRefreshToken(
    string GrantId,
    string ClientId,
    string UserId,
    string SubjectId,
    string SessionId,
    string Scopes,
    DateTime AuthTime,
    string Acr,
    string Amr,
    DateTime CreatedAt,
    DateTime ExpiresAt)
{
    /// <summary>When it was used up (rotated); null while it may still be used.</summary>
    public DateTime? ConsumedAt { get; init; }
}
