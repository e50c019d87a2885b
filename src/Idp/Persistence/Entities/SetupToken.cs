namespace Idp.Persistence.Entities;

/// <summary>A one-time link for creating the first administrator. Only the SHA-256 of the token is stored.</summary>
public sealed class SetupToken
{
    public int Id { get; set; }

    public required string TokenHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? UsedAt { get; set; }
}
