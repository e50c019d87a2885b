using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Idp.Secrets;

/// <summary>
/// The <c>sid</c> relying parties see (OIDC Front-Channel Logout §3 / Back-Channel Logout §2.4: an opaque session
/// identifier) is an HMAC of the session id under a key derived from the secret key, never the database key of the
/// session row: tokens travel to every app and into their logs.
/// </summary>
public sealed class SessionIdentifiers
{
    private readonly byte[] _key;

    public SessionIdentifiers(SecretKeyRing keys)
    {
        // RFC 5869 HKDF: a key of its own for this use, so the master key is never used directly as an HMAC key.
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.Current.Material.ToArray(), 32, info: Encoding.ASCII.GetBytes("Idp.sid.v1"));
    }

    public string Public(string sessionId)
        => Base64UrlEncoder.Encode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(sessionId)).AsSpan(0, 16).ToArray());
}
