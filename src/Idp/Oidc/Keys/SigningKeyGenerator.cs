using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Keys;

/// <summary>New signing keys: RSA-2048 for RS256, P-256 for ES256; the private half as PKCS#8, the public half as a JWK.</summary>
internal static class SigningKeyGenerator
{
    public static (string KeyId, byte[] Pkcs8, string PublicJwk) Create(string algorithm)
    {
        var kid = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
        if (algorithm == SigningAlgorithms.ES256)
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var p = ec.ExportParameters(false);
            var jwk = new JsonObject
            {
                ["kty"] = "EC", ["use"] = "sig", ["alg"] = algorithm, ["kid"] = kid, ["crv"] = "P-256",
                ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y),
            };
            return (kid, ec.ExportPkcs8PrivateKey(), jwk.ToJsonString());
        }

        using var rsa = RSA.Create(2048);
        var r = rsa.ExportParameters(false);
        var rsaJwk = new JsonObject
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = algorithm, ["kid"] = kid,
            ["n"] = Base64Url.EncodeToString(r.Modulus), ["e"] = Base64Url.EncodeToString(r.Exponent),
        };
        return (kid, rsa.ExportPkcs8PrivateKey(), rsaJwk.ToJsonString());
    }
}
