namespace Idp.Persistence.Entities;

/// <summary>Scopes a user agreed to share with a client that requires consent.</summary>
public sealed class UserConsent
{
    public required string UserId { get; set; }

    public required string ClientId { get; set; }

    public required string Scopes { get; set; }

    public DateTime GrantedAt { get; set; }
}
