namespace Idp.Oidc.Keys;

/// <summary>
/// Where new signing keys come from: <see cref="SigningKeyGenerator"/> makes fresh ones. A seam for a key source other
/// than this process's random generator. The test suite uses it to draw RSA keys from a pool made once per run: RSA-2048
/// generation takes about 200 ms here, close to half of a test host's start on an empty database.
/// </summary>
public interface ISigningKeyGenerator
{
    /// <summary>A new key for <paramref name="algorithm"/>: its kid, its private half as PKCS#8 (the caller wipes it), its public half as a JWK.</summary>
    (string KeyId, byte[] Pkcs8, string PublicJwk) Create(string algorithm);
}
