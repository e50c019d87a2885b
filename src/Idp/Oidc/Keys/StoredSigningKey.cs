namespace Idp.Oidc.Keys;

/// <summary>
/// A token-signing key as kept: the PKCS#8 private key encrypted under the application secret key (never in clear),
/// the public JWK as published. It signs from <see cref="ActivatesAt"/> until a newer key of its algorithm activates.
/// </summary>
public sealed record StoredSigningKey(string Id, string Algorithm, string ProtectedPrivateKey, string PublicJwk, DateTime CreatedAt, DateTime ActivatesAt);
