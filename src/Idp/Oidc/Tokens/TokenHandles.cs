using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Idp.Oidc.Tokens;

/// <summary>Opaque handles (codes, refresh tokens): 256 random bits, Base64url; stored only as their SHA-256.</summary>
internal static class TokenHandles
{
    public const int MaxLength = 200;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string handle) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(handle)));

    /// <summary>OIDC Core §3.3.2.11 at_hash: left half of the SHA-256 of the access token's ASCII, Base64url.</summary>
    public static string LeftHalfHash(string value)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(value));
        return Base64Url.EncodeToString(hash.AsSpan(0, hash.Length / 2));
    }

    /// <summary>RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))).</summary>
    public static string S256(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static bool FixedTimeEquals(string a, string b)
        => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
