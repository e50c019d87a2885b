using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Keys;

/// <summary>New signing keys: RSA-2048 for RS256, P-256 for ES256; the private half as PKCS#8, the public half as a JWK.</summary>
public sealed class SigningKeyGenerator : ISigningKeyGenerator
{
    public (string KeyId, byte[] Pkcs8, string PublicJwk) Create(string algorithm)
    {
        if (algorithm == SigningAlgorithms.ES256)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var p = ec.ExportParameters(false);
            var kid = NewKeyId();
            var jwk = new JsonObject
            {
                ["kty"] = "EC", ["use"] = "sig", ["alg"] = algorithm, ["kid"] = kid, ["crv"] = "P-256",
                ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y),
            };
            return (kid, ec.ExportPkcs8PrivateKey(), jwk.ToJsonString());
        }

        using var rsa = RSA.Create(2048);
        return FromRsa(algorithm, rsa);
    }

    /// <summary>The key record of an RSA key made elsewhere, under a kid of its own.</summary>
    public static (string KeyId, byte[] Pkcs8, string PublicJwk) FromRsa(string algorithm, RSA rsa)
    {
        // RFC 7518 §3.3: RS256 keys are 2048 bits or larger.
        if (rsa.KeySize < 2048)
        {
            throw new ArgumentException($"An RSA signing key needs 2048 bits or more, not {rsa.KeySize}.", nameof(rsa));
        }

        var kid = NewKeyId();
        var r = rsa.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = algorithm, ["kid"] = kid,
            ["n"] = Base64Url.EncodeToString(r.Modulus), ["e"] = Base64Url.EncodeToString(r.Exponent),
        };
        return (kid, rsa.ExportPkcs8PrivateKey(), jwk.ToJsonString());
    }

    private static string NewKeyId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
}
