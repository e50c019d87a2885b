namespace Idp.Persistence.Entities;

/// <summary>
/// What one authorization (a code redemption, or one client_credentials request chain) issued: its access tokens
/// carry the grant id and its refresh tokens form one family. Revoking the grant revokes them all.
/// </summary>
public sealed class GrantRecord
{
    public required string Id { get; set; }

    public required string ClientId { get; set; }

    public string? UserId { get; set; }

    public string? SessionId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
