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

    private IReadOnlyList<RequestCheck<ProtocolParameters>>? _phaseOne;

    /// <summary>Phase 1: who is asking, and where an answer may go. Failures are shown on Idp's page.</summary>
    public IReadOnlyList<RequestCheck<ProtocolParameters>> PhaseOne => _phaseOne ??=
        [IdentifyingParametersOnce, IdentifyingParametersShort, ClientIdPresent, ClientRegistered, RedirectUriPresent, RedirectUriRegistered];

    /// <summary>Phase 2: the request itself. Failures go back to the client's redirect URI.</summary>
    public static readonly IReadOnlyList<RequestCheck<AuthorizeCheckInput>> PhaseTwo =
    [
        EachParameterOnce, NoOverlongParameter, NoRequestObject, NoRequestUri, NoRegistration, ResponseTypePresent,
        ResponseTypeCode, ResponseModeSupported, ClientMayUseCodeFlow, ScopePresent, ScopeIncludesOpenId, ScopesAllowed,
        Pkce, PromptValuesKnown, PromptNoneAlone, MaxAgeWholeSeconds, DisplayKnown,
    ];

    public async Task<AuthorizeValidation> ValidateAsync(ProtocolParameters p, CancellationToken cancellationToken)
    {
        if (RequestChecks.FirstFailure(p, PhaseOne) is { } unidentified)
        {
            return new(null, unidentified, clients.Find(p["client_id"]));
        }

        var client = clients.Find(p["client_id"])!;
        var redirectUri = p["redirect_uri"]!;
        var state = p.Duplicate == "state" || p.TooLong == "state" ? null : p["state"];
        var responseMode = p["response_mode"] is "form_post" ? "form_post" : "query";
        AuthorizeValidation Fail(OidcError error) => new(null, error, client, redirectUri, state, responseMode);

        if (RequestChecks.FirstFailure(new AuthorizeCheckInput(p, client), PhaseTwo) is { } refused)
        {
            return Fail(refused);
        }

        // OIDC Core §3.1.2.1: id_token_hint is an ID token Idp issued to this client (checked last: it costs a signature check).
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

        int? maxAge = p["max_age"] is { } maxAgeText ? int.Parse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture) : null;
        var acrValues = (p["acr_values"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return AuthorizeValidation.Valid(new ValidatedAuthorizeRequest(
            client, redirectUri, responseMode, ScopesOf(p), state, p["nonce"], p["code_challenge"], PromptOf(p), maxAge, p["login_hint"], acrValues, hintSubject, p));
    }

    // ---- Phase 1 (RFC 6749 §4.1.2.1: errors about the client or the redirect URI are never redirected).

    /// <summary>RFC 6749 §3.1: parameters MUST NOT be included more than once; a doubled client_id or redirect_uri leaves no safe place to answer.</summary>
    public static OidcError? IdentifyingParametersOnce(ProtocolParameters p)
        => p.Duplicate is "client_id" or "redirect_uri" ? OidcErrors.DuplicateParameter(p.Duplicate, allowRedirect: false) : null;

    public static OidcError? IdentifyingParametersShort(ProtocolParameters p)
        => p.TooLong is "client_id" or "redirect_uri" ? OidcErrors.ParameterTooLong(p.TooLong, Limits[p.TooLong], allowRedirect: false) : null;

    /// <summary>RFC 6749 §4.1.1: client_id is REQUIRED.</summary>
    public static OidcError? ClientIdPresent(ProtocolParameters p) => p["client_id"] is null ? OidcErrors.MissingClientId() : null;

    public OidcError? ClientRegistered(ProtocolParameters p)
        => clients.Find(p["client_id"]) is null ? OidcErrors.UnknownClient().WithDetail($"client_id \"{p["client_id"]}\"") : null;

    /// <summary>OIDC Core §3.1.2.1: redirect_uri is REQUIRED.</summary>
    public static OidcError? RedirectUriPresent(ProtocolParameters p) => p["redirect_uri"] is null ? OidcErrors.MissingRedirectUri() : null;

    /// <summary>RFC 6749 §3.1.2.3 and OIDC Core §3.1.2.1: compared exactly with one the client registered.</summary>
    public OidcError? RedirectUriRegistered(ProtocolParameters p)
        => clients.Find(p["client_id"]) is { } client && !client.RedirectUris.Contains(p["redirect_uri"]!, StringComparer.Ordinal)
            ? OidcErrors.UnregisteredRedirectUri().WithDetail($"client {client.ClientId}")
            : null;

    // ---- Phase 2 (RFC 6749 §4.1.2.1: the client is known, so errors go back to it with state and iss).

    public static OidcError? EachParameterOnce(AuthorizeCheckInput input)
        => input.Parameters.Duplicate is { } duplicate ? OidcErrors.DuplicateParameter(duplicate, allowRedirect: true) : null;

    public static OidcError? NoOverlongParameter(AuthorizeCheckInput input)
        => input.Parameters.TooLong is { } tooLong
            ? OidcErrors.ParameterTooLong(tooLong, Limits.GetValueOrDefault(tooLong, ProtocolParameters.DefaultMaxLength), allowRedirect: true)
            : null;

    /// <summary>OIDC Core §6: request objects are optional and not supported here.</summary>
    public static OidcError? NoRequestObject(AuthorizeCheckInput input) => input.Parameters.Has("request") ? OidcErrors.RequestObjectNotSupported() : null;

    public static OidcError? NoRequestUri(AuthorizeCheckInput input) => input.Parameters.Has("request_uri") ? OidcErrors.RequestUriNotSupported() : null;

    /// <summary>OIDC Core §7.2.1: the registration parameter belongs to self-issued providers.</summary>
    public static OidcError? NoRegistration(AuthorizeCheckInput input) => input.Parameters.Has("registration") ? OidcErrors.RegistrationNotSupported() : null;

    /// <summary>RFC 6749 §3.1.1: response_type is REQUIRED.</summary>
    public static OidcError? ResponseTypePresent(AuthorizeCheckInput input) => input.Parameters["response_type"] is null ? OidcErrors.MissingParameter("response_type") : null;

    /// <summary>OIDC Core §3.1.2.1: the authorization code flow only.</summary>
    public static OidcError? ResponseTypeCode(AuthorizeCheckInput input) => input.Parameters["response_type"] is "code" ? null : OidcErrors.UnsupportedResponseType();

    /// <summary>OAuth 2.0 Multiple Response Types §2.1: fragment is not for the code flow; query and form_post are offered.</summary>
    public static OidcError? ResponseModeSupported(AuthorizeCheckInput input)
        => input.Parameters["response_mode"] is { } mode && mode is not ("query" or "form_post") ? OidcErrors.InvalidParameter("response_mode", "use query or form_post.") : null;

    /// <summary>RFC 6749 §4.1.2.1 unauthorized_client: the client is registered for the code flow.</summary>
    public static OidcError? ClientMayUseCodeFlow(AuthorizeCheckInput input)
        => input.Client.Allows(GrantTypes.AuthorizationCode) ? null : OidcErrors.GrantNotAllowed(GrantTypes.AuthorizationCode);

    /// <summary>OIDC Core §3.1.2.1: scope is REQUIRED.</summary>
    public static OidcError? ScopePresent(AuthorizeCheckInput input) => input.Parameters["scope"] is null ? OidcErrors.MissingParameter("scope") : null;

    /// <summary>OIDC Core §3.1.2.1: without openid this is not an OpenID Connect request.</summary>
    public static OidcError? ScopeIncludesOpenId(AuthorizeCheckInput input) => ScopesOf(input.Parameters).Contains(Scopes.OpenId) ? null : OidcErrors.OpenIdScopeMissing();

    /// <summary>RFC 6749 §3.3: the server may refuse scopes the client was not given.</summary>
    public static OidcError? ScopesAllowed(AuthorizeCheckInput input)
        => ScopesOf(input.Parameters).FirstOrDefault(s => !input.Client.AllowedScopes.Contains(s, StringComparer.Ordinal)) is { } notAllowed
            ? OidcErrors.ScopeNotAllowed(notAllowed)
            : null;

    public static OidcError? Pkce(AuthorizeCheckInput input) => ValidatePkce(input.Parameters, input.Client);

    /// <summary>OIDC Core §3.1.2.1: prompt is a space-separated list of none, login, consent, select_account.</summary>
    public static OidcError? PromptValuesKnown(AuthorizeCheckInput input)
        => PromptOf(input.Parameters).FirstOrDefault(v => !PromptValues.Contains(v)) is { } badPrompt
            ? OidcErrors.InvalidParameter("prompt", $"\"{badPrompt}\" is not none, login, consent or select_account.")
            : null;

    /// <summary>OIDC Core §3.1.2.1: none with any other value is an error.</summary>
    public static OidcError? PromptNoneAlone(AuthorizeCheckInput input)
        => PromptOf(input.Parameters) is { Count: > 1 } prompt && prompt.Contains("none") ? OidcErrors.InvalidParameter("prompt", "none cannot be combined with other values.") : null;

    /// <summary>OIDC Core §3.1.2.1: max_age is a number of seconds.</summary>
    public static OidcError? MaxAgeWholeSeconds(AuthorizeCheckInput input)
        => input.Parameters["max_age"] is { } text && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? OidcErrors.InvalidParameter("max_age", "a whole number of seconds is expected.")
            : null;

    /// <summary>OIDC Core §3.1.2.1: display is one of page, popup, touch, wap.</summary>
    public static OidcError? DisplayKnown(AuthorizeCheckInput input)
        => input.Parameters["display"] is { } display && !DisplayValues.Contains(display) ? OidcErrors.InvalidParameter("display", "use page, popup, touch or wap.") : null;

    private static List<string> ScopesOf(ProtocolParameters p)
        => (p["scope"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    private static HashSet<string> PromptOf(ProtocolParameters p)
        => (p["prompt"] ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

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
