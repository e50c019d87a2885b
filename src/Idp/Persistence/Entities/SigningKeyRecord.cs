namespace Idp.Persistence.Entities;

/// <summary>
/// A token-signing key. The private key is PKCS#8 encrypted under the application secret key (never in clear in
/// the database); the public JWK is stored as is for JWKS. It signs from <see cref="ActivatesAt"/> until a newer
/// key activates, and stays published until every token it signed has expired.
/// </summary>
public sealed class SigningKeyRecord
{
    public required string Id { get; set; }

    public required string Algorithm { get; set; }

    public required string ProtectedPrivateKey { get; set; }

    public required string PublicJwk { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ActivatesAt { get; set; }
}
