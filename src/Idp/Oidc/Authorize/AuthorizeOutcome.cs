using Idp.Oidc.Protocol;

namespace Idp.Oidc.Authorize;

/// <summary>What the authorize page must do: show an error on Idp, send the browser somewhere, or post a form to the client.</summary>
public abstract record AuthorizeOutcome
{
    private AuthorizeOutcome()
    {
    }

    /// <summary>An error the client must not receive (phase 1), or a request that cannot be resumed.</summary>
    public sealed record ShowError(OidcError Error) : AuthorizeOutcome;

    /// <summary>A 302 to the client (query response mode) or to an Idp page (sign-in, consent).</summary>
    public sealed record Redirect(string Location) : AuthorizeOutcome;

    /// <summary>OAuth 2.0 Form Post Response Mode: a self-submitting form to the client's redirect URI.</summary>
    public sealed record FormPost(string Action, IReadOnlyList<KeyValuePair<string, string>> Fields) : AuthorizeOutcome;
}
