namespace Idp.Persistence.Entities;

/// <summary>An access token revoked by its jti (RFC 7009), kept until the token would have expired anyway.</summary>
public sealed class RevokedAccessToken
{
    public required string Jti { get; set; }

    public DateTime ExpiresAt { get; set; }
}
