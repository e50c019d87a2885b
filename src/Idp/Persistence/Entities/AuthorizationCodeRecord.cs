namespace Idp.Persistence.Entities;

/// <summary>
/// An authorization code, stored as the SHA-256 of the code, bound to everything the token request must match.
/// Consumed once by a conditional update; <see cref="GrantId"/> records what its redemption issued, so a second
/// redemption can revoke it (RFC 6749 §4.1.2).
/// </summary>
public sealed class AuthorizationCodeRecord
{
    public required string CodeHash { get; set; }

    public required string ClientId { get; set; }

    public required string RedirectUri { get; set; }

    public required string UserId { get; set; }

    public required string SubjectId { get; set; }

    public required string SessionId { get; set; }

    public required string Scopes { get; set; }

    public string? CodeChallenge { get; set; }

    public string? Nonce { get; set; }

    public DateTime AuthTime { get; set; }

    public required string Acr { get; set; }

    public required string Amr { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? ConsumedAt { get; set; }

    public string? GrantId { get; set; }
}
