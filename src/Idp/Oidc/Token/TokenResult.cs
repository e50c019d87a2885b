using Idp.Oidc.Protocol;

namespace Idp.Oidc.Token;

/// <summary>A token response (RFC 6749 §5.1) or an error (§5.2).</summary>
public sealed record TokenResult(IReadOnlyDictionary<string, object>? Success, OidcError? Error, bool ClientUsedBasic = false)
{
    public static TokenResult Fail(OidcError error, bool usedBasic = false) => new(null, error, usedBasic);
}
