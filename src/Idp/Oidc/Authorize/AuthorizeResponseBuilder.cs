using Idp.Oidc.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace Idp.Oidc.Authorize;

/// <summary>Builds the answer to the client in its response mode, always with iss (RFC 9207 §2) and the state it sent.</summary>
internal static class AuthorizeResponseBuilder
{
    public static AuthorizeOutcome Success(string redirectUri, string responseMode, string code, string? state, string issuer)
        => Build(redirectUri, responseMode, [new("code", code), .. Common(state, issuer)]);

    public static AuthorizeOutcome Error(string redirectUri, string responseMode, OidcError error, string? state, string issuer)
        => Build(redirectUri, responseMode, [new("error", error.Code), new("error_description", error.Description), .. Common(state, issuer)]);

    private static IEnumerable<KeyValuePair<string, string>> Common(string? state, string issuer)
    {
        if (state is not null)
        {
            yield return new("state", state);
        }

        yield return new("iss", issuer);
    }

    private static AuthorizeOutcome Build(string redirectUri, string responseMode, List<KeyValuePair<string, string>> fields)
    {
        if (responseMode == "form_post")
        {
            return new AuthorizeOutcome.FormPost(redirectUri, fields);
        }

        // RFC 6749 §3.1.2: the redirect URI may carry a query of its own, which is kept.
        return new AuthorizeOutcome.Redirect(QueryHelpers.AddQueryString(redirectUri, fields!));
    }
}
