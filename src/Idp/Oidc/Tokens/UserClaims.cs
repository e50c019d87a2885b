using Idp.Oidc.Protocol;
using Idp.Persistence.Entities;

namespace Idp.Oidc.Tokens;

/// <summary>OIDC Core §5.4: the claims each scope releases, the same in the ID token and at userinfo.</summary>
internal static class UserClaims
{
    public static readonly IReadOnlyList<string> Supported = ["sub", "name", "preferred_username", "email", "email_verified", "auth_time", "acr", "amr", "sid"];

    public static IEnumerable<KeyValuePair<string, object>> For(TokenUser user, IReadOnlyCollection<string> scopes)
    {
        if (scopes.Contains(Scopes.Profile))
        {
            yield return new("preferred_username", user.UserName ?? string.Empty);
            yield return new("name", user.DisplayName ?? user.UserName ?? string.Empty);
        }

        if (scopes.Contains(Scopes.Email) && !string.IsNullOrEmpty(user.Email))
        {
            yield return new("email", user.Email);
            yield return new("email_verified", user.EmailConfirmed);
        }
    }
}
