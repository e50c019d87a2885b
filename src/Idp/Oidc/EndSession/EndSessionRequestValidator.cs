using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;

namespace Idp.Oidc.EndSession;

/// <summary>
/// OpenID Connect RP-Initiated Logout 1.0 §2: every error is shown on Idp's page; nothing is redirected before the
/// post_logout_redirect_uri is known to be the named client's, so the endpoint is never an open redirect (§3).
/// </summary>
public sealed class EndSessionRequestValidator(IdTokenHintValidator hints, ClientRegistry clients)
{
    public static readonly IReadOnlyList<RequestCheck<EndSessionCheckInput>> Checks =
        [EachParameterOnce, ClientIdMatchesHint, ClientRegistered, RedirectNamesClient, RedirectRegistered];

    /// <summary>RFC 6749 §3.1, which §2 inherits: each parameter at most once.</summary>
    public static OidcError? EachParameterOnce(EndSessionCheckInput input)
        => input.Parameters.Duplicate is { } duplicate ? OidcErrors.DuplicateParameter(duplicate, allowRedirect: false) : null;

    /// <summary>§2: when both are present, client_id must be an audience of id_token_hint.</summary>
    public static OidcError? ClientIdMatchesHint(EndSessionCheckInput input)
        => input.HintAudiences is { } audiences && input.Parameters["client_id"] is { } clientId && !audiences.Contains(clientId, StringComparer.Ordinal)
            ? OidcErrors.EndSessionClientMismatch()
            : null;

    public static OidcError? ClientRegistered(EndSessionCheckInput input)
        => input.HintAudiences is null && input.Parameters["client_id"] is not null && input.Client is null ? OidcErrors.EndSessionUnknownClient() : null;

    /// <summary>§3: the redirect is checked against a client's registrations, so the request must say which client.</summary>
    public static OidcError? RedirectNamesClient(EndSessionCheckInput input)
        => input.Parameters.Has("post_logout_redirect_uri") && input.Client is null ? OidcErrors.EndSessionRedirectWithoutClient() : null;

    /// <summary>§3: post_logout_redirect_uri MUST exactly match one registered for the client.</summary>
    public static OidcError? RedirectRegistered(EndSessionCheckInput input)
        => input.Parameters["post_logout_redirect_uri"] is { } uri && input.Client is { } client && !client.PostLogoutRedirectUris.Contains(uri, StringComparer.Ordinal)
            ? OidcErrors.EndSessionRedirectNotRegistered()
            : null;

    public async Task<(ValidatedEndSessionRequest? Request, OidcError? Error)> ValidateAsync(ProtocolParameters p, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? audiences = null;
        string? subject = null;
        if (p.Duplicate is null && p["id_token_hint"] is { } hint)
        {
            // §2: id_token_hint is an ID token Idp issued; its expiry does not matter (the session may have outlived it).
            if (await hints.ValidateAsync(hint, cancellationToken) is not { } token)
            {
                return (null, OidcErrors.EndSessionHintNotOurs());
            }

            audiences = token.Audiences.ToList();
            subject = token.Subject;
        }

        var client = clients.Find(audiences is null ? p["client_id"] : audiences.FirstOrDefault());
        if (RequestChecks.FirstFailure(new EndSessionCheckInput(p, audiences, client), Checks) is { } error)
        {
            return (null, error);
        }

        return (new ValidatedEndSessionRequest(client, subject, p["post_logout_redirect_uri"], p["state"]), null);
    }
}
