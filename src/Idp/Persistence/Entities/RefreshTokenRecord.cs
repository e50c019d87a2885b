namespace Idp.Persistence.Entities;

/// <summary>
/// An opaque refresh token, stored as its SHA-256. Rotated on every use (consumed by a conditional update); using a
/// consumed one again revokes its whole grant (OAuth 2.0 Security BCP, refresh token rotation).
/// </summary>
public sealed class RefreshTokenRecord
{
    public required string TokenHash { get; set; }

    public required string GrantId { get; set; }

    public required string ClientId { get; set; }

    public required string UserId { get; set; }

    public required string SubjectId { get; set; }

    public required string SessionId { get; set; }

    public required string Scopes { get; set; }

    public DateTime AuthTime { get; set; }

    public required string Acr { get; set; }

    public required string Amr { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? ConsumedAt { get; set; }
}
