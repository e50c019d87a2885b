namespace Idp.Oidc.Keys;

/// <summary>
/// Where new signing keys come from: <see cref="SigningKeyGenerator"/> makes fresh ones. A seam for a key source other
/// than this process's random generator; the test suite uses it to draw RSA keys from a pool made once per run, since
/// RSA-2048 generation is a third of an empty database's start-up here.
/// </summary>
public interface ISigningKeyGenerator
{
    /// <summary>A new key for <paramref name="algorithm"/>: its kid, its private half as PKCS#8 (the caller wipes it), its public half as a JWK.</summary>
    (string KeyId, byte[] Pkcs8, string PublicJwk) Create(string algorithm);
}
