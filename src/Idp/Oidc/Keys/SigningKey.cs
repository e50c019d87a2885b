using Microsoft.IdentityModel.Tokens;

namespace Idp.Oidc.Keys;

/// <summary>A decrypted signing key held in memory, with its publication window.</summary>
public sealed record SigningKey(string KeyId, string Algorithm, SecurityKey Key, string PublicJwk, DateTime ActivatesAt, DateTime? SupersededAt)
{
    public SigningCredentials Credentials { get; } = new(Key, Algorithm);
}
