using System.Globalization;
using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;

namespace Idp.Oidc.Authorize;

/// <summary>
/// Authorize checks, in order. Phase 1 (client, redirect URI) errors are shown on Idp's page and never redirected
/// (RFC 6749 §4.1.2.1); phase 2 errors go back to the client with state and iss (RFC 9207).
/// </summary>
public sealed class AuthorizeRequestValidator(ClientRegistry clients, IdTokenHintValidator idTokenHints)
{
    public const int MaxStateLength = 2048;
    public const int MaxNonceLength = 512;

    private static readonly HashSet<string> PromptValues = new(StringComparer.Ordinal) { "none", "login", "consent", "select_account" };
    private static readonly HashSet<string> DisplayValues = new(StringComparer.Ordinal) { "page", "popup", "touch", "wap" };

    /// <summary>Length limits on every parameter; anything else gets <see cref="ProtocolParameters.DefaultMaxLength"/>.</summary>
    public static readonly IReadOnlyDictionary<string, int> Limits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["client_id"] = 100, ["redirect_uri"] = 2048, ["response_type"] = 50, ["response_mode"] = 20, ["scope"] = 1024,
        ["state"] = MaxStateLength, ["nonce"] = MaxNonceLength, ["code_challenge"] = 128, ["code_challenge_method"] = 10,
        ["prompt"] = 64, ["max_age"] = 10, ["login_hint"] = 256, ["acr_values"] = 512, ["ui_locales"] = 128,
        ["claims_locales"] = 128, ["display"] = 10, ["id_token_hint"] = 8192,
    };

    public async Task<AuthorizeValidation> ValidateAsync(ProtocolParameters p, CancellationToken cancellationToken)
    {
        // Phase 1: who is asking, and where an answer may go.
        if (p.Duplicate is "client_id" or "redirect_uri")
        {
            return new(null, OidcErrors.DuplicateParameter(p.Duplicate, allowRedirect: false));
        }

        if (p.TooLong is "client_id" or "redirect_uri")
        {
            return new(null, OidcErrors.ParameterTooLong(p.TooLong, Limits[p.TooLong], allowRedirect: false));
        }

        if (p["client_id"] is not { } clientId)
        {
            return new(null, OidcErrors.MissingClientId());
        }

        if (clients.Find(clientId) is not { } client)
        {
            return new(null, OidcErrors.UnknownClient().WithDetail($"client_id \"{clientId}\""));
        }

        // OIDC Core §3.1.2.1: redirect_uri is REQUIRED; RFC 6749 §3.1.2.3: compared exactly with a registered one.
        if (p["redirect_uri"] is not { } redirectUri)
        {
            return new(null, OidcErrors.MissingRedirectUri(), client);
        }

        if (!client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return new(null, OidcErrors.UnregisteredRedirectUri().WithDetail($"client {client.ClientId}"), client);
        }

        // Phase 2: the request itself; from here errors go back to the client.
        var state = p.Duplicate == "state" || p.TooLong == "state" ? null : p["state"];
        var responseMode = p["response_mode"] is "form_post" ? "form_post" : "query";
        AuthorizeValidation Fail(OidcError error) => new(null, error, client, redirectUri, state, responseMode);

        if (p.Duplicate is { } duplicate)
        {
            return Fail(OidcErrors.DuplicateParameter(duplicate, allowRedirect: true));
        }

        if (p.TooLong is { } tooLong)
        {
            return Fail(OidcErrors.ParameterTooLong(tooLong, Limits.GetValueOrDefault(tooLong, ProtocolParameters.DefaultMaxLength), allowRedirect: true));
        }

        // OIDC Core §6: request objects are optional and not supported here; registration likewise (§7.2.1).
        if (p.Has("request"))
        {
            return Fail(OidcErrors.RequestObjectNotSupported());
        }

        if (p.Has("request_uri"))
        {
            return Fail(OidcErrors.RequestUriNotSupported());
        }

        if (p.Has("registration"))
        {
            return Fail(OidcErrors.RegistrationNotSupported());
        }

        // RFC 6749 §3.1.1 and OIDC Core §3.1.2.1: the code flow only.
        if (p["response_type"] is not { } responseType)
        {
            return Fail(OidcErrors.MissingParameter("response_type"));
        }

        if (responseType != "code")
        {
            return Fail(OidcErrors.UnsupportedResponseType());
        }

        // OAuth 2.0 Multiple Response Types §2.1: fragment is not allowed for the code flow's default; we offer query and form_post.
        if (p["response_mode"] is { } mode && mode is not ("query" or "form_post"))
        {
            return Fail(OidcErrors.InvalidParameter("response_mode", "use query or form_post."));
        }

        if (!client.Allows(GrantTypes.AuthorizationCode))
        {
            return Fail(OidcErrors.GrantNotAllowed(GrantTypes.AuthorizationCode));
        }

        if (p["scope"] is not { } scopeText)
        {
            return Fail(OidcErrors.MissingParameter("scope"));
        }

        var scopes = scopeText.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (!scopes.Contains(Scopes.OpenId))
        {
            return Fail(OidcErrors.OpenIdScopeMissing());
        }

        if (scopes.FirstOrDefault(s => !client.AllowedScopes.Contains(s, StringComparer.Ordinal)) is { } notAllowed)
        {
            return Fail(OidcErrors.ScopeNotAllowed(notAllowed));
        }

        if (ValidatePkce(p, client) is { } pkceError)
        {
            return Fail(pkceError);
        }

        var prompt = (p["prompt"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (prompt.FirstOrDefault(v => !PromptValues.Contains(v)) is { } badPrompt)
        {
            return Fail(OidcErrors.InvalidParameter("prompt", $"\"{badPrompt}\" is not none, login, consent or select_account."));
        }

        // OIDC Core §3.1.2.1: none with any other value is an error.
        if (prompt.Contains("none") && prompt.Count > 1)
        {
            return Fail(OidcErrors.InvalidParameter("prompt", "none cannot be combined with other values."));
        }

        int? maxAge = null;
        if (p["max_age"] is { } maxAgeText)
        {
            if (!int.TryParse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Fail(OidcErrors.InvalidParameter("max_age", "a whole number of seconds is expected."));
            }

            maxAge = parsed;
        }

        if (p["display"] is { } display && !DisplayValues.Contains(display))
        {
            return Fail(OidcErrors.InvalidParameter("display", "use page, popup, touch or wap."));
        }

        string? hintSubject = null;
        if (p["id_token_hint"] is { } hint)
        {
            var token = await idTokenHints.ValidateAsync(hint, cancellationToken);
            if (token is null || !token.Audiences.Contains(client.ClientId, StringComparer.Ordinal))
            {
                return Fail(OidcErrors.InvalidParameter("id_token_hint", "it is not an ID token Idp issued to this client."));
            }

            hintSubject = token.Subject;
        }

        var acrValues = (p["acr_values"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return AuthorizeValidation.Valid(new ValidatedAuthorizeRequest(
            client, redirectUri, responseMode, scopes, state, p["nonce"], p["code_challenge"], prompt, maxAge, p["login_hint"], acrValues, hintSubject, p));
    }

    private static OidcError? ValidatePkce(ProtocolParameters p, ClientOptions client)
    {
        var challenge = p["code_challenge"];
        var method = p["code_challenge_method"];
        if (challenge is null)
        {
            // RFC 7636 §4.4.1: a server that requires PKCE answers invalid_request.
            return method is not null ? OidcErrors.MissingParameter("code_challenge") : client.RequirePkce || client.IsPublic ? OidcErrors.PkceRequired() : null;
        }

        // RFC 7636 §4.3: a missing method means plain, which Idp does not accept (§4.2: S256 is mandatory to implement).
        if (method != "S256")
        {
            return OidcErrors.PkceMethodNotSupported();
        }

        // RFC 7636 §4.2: BASE64URL of a SHA-256 is exactly 43 characters of the unreserved alphabet.
        return challenge.Length == 43 && challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? null
            : OidcErrors.InvalidParameter("code_challenge", "an S256 challenge is 43 Base64url characters.");
    }
}
