using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Idp.Tests.Oidc;

/// <summary>RFC 7636 as a client does it.</summary>
internal sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce Create()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}
