namespace Idp.Oidc.Protocol;

/// <summary>
/// The catalogue of protocol errors; endpoints build errors only here, and tests compare against it. An error is sent
/// to the client's redirect URI only when its entry says so (the phase-2 authorize errors): the safe default is not.
/// </summary>
internal static class OidcErrors
{
    // Authorize, phase 1 (RFC 6749 §4.1.2.1): shown on the IdP's own page, never redirected.
    public static OidcError MissingClientId() => new(OidcErrorCodes.InvalidRequest, "client_id is missing.", AllowRedirect: false);

    public static OidcError UnknownClient() => new(OidcErrorCodes.InvalidClient, "The client_id is not a registered client.", AllowRedirect: false);

    public static OidcError MissingRedirectUri() => new(OidcErrorCodes.InvalidRequest, "redirect_uri is missing.", AllowRedirect: false);

    public static OidcError UnregisteredRedirectUri() => new(OidcErrorCodes.InvalidRequest, "The redirect_uri is not registered for this client.", AllowRedirect: false);

    public static OidcError DuplicateParameter(string name, bool allowRedirect) => new(OidcErrorCodes.InvalidRequest, $"The parameter {name} appears more than once.", AllowRedirect: allowRedirect);

    public static OidcError ParameterTooLong(string name, int max, bool allowRedirect) => new(OidcErrorCodes.InvalidRequest, $"The parameter {name} is longer than {max} characters.", AllowRedirect: allowRedirect);

    // Authorize, phase 2 (RFC 6749 §4.1.2.1): the client and its redirect URI are known; redirected with state and iss.
    public static OidcError MissingParameter(string name) => Redirected(OidcErrorCodes.InvalidRequest, $"The parameter {name} is missing.");

    public static OidcError InvalidParameter(string name, string why) => Redirected(OidcErrorCodes.InvalidRequest, $"The parameter {name} is invalid: {why}");

    public static OidcError UnsupportedResponseType() => Redirected(OidcErrorCodes.UnsupportedResponseType, "Only response_type=code is supported.");

    public static OidcError OpenIdScopeMissing() => Redirected(OidcErrorCodes.InvalidScope, "The scope must contain openid.");

    public static OidcError ScopeNotAllowed(string scope) => Redirected(OidcErrorCodes.InvalidScope, $"The scope {scope} is not allowed for this client.");

    public static OidcError GrantNotAllowed(string grantType) => Redirected(OidcErrorCodes.UnauthorizedClient, $"This client may not use {grantType}.");

    public static OidcError PkceRequired() => Redirected(OidcErrorCodes.InvalidRequest, "code_challenge is required (PKCE, RFC 7636).");

    public static OidcError PkceMethodNotSupported() => Redirected(OidcErrorCodes.InvalidRequest, "Only code_challenge_method=S256 is supported.");

    public static OidcError RequestObjectNotSupported() => Redirected(OidcErrorCodes.RequestNotSupported, "Request objects are not supported.");

    public static OidcError RequestUriNotSupported() => Redirected(OidcErrorCodes.RequestUriNotSupported, "request_uri is not supported.");

    public static OidcError RegistrationNotSupported() => Redirected(OidcErrorCodes.RegistrationNotSupported, "The registration parameter is not supported.");

    public static OidcError LoginRequired() => Redirected(OidcErrorCodes.LoginRequired, "The user must sign in.");

    public static OidcError ConsentRequired() => Redirected(OidcErrorCodes.ConsentRequired, "The user must consent.");

    public static OidcError InteractionRequired(string why) => Redirected(OidcErrorCodes.InteractionRequired, why);

    public static OidcError AccessDenied() => Redirected(OidcErrorCodes.AccessDenied, "The user denied the request.");

    public static OidcError RequestTooLarge() => Redirected(OidcErrorCodes.InvalidRequest, "The authorization request is too large.");

    // Authorize, resumed after sign-in or consent: the request is gone or spent, so there is nothing to redirect with.
    public static OidcError InteractionExpired() => new(OidcErrorCodes.InvalidRequest, "This sign-in request has expired or was already completed. Go back to the application and start again.");

    public static OidcError InteractionCompleted() => new(OidcErrorCodes.InvalidRequest, "This sign-in request was already completed.");

    // End session (OpenID Connect RP-Initiated Logout 1.0 §2, §3): shown on Idp's page, never redirected.
    public static OidcError EndSessionHintNotOurs() => new(OidcErrorCodes.InvalidRequest, "id_token_hint is not an ID token Idp issued.");

    public static OidcError EndSessionClientMismatch() => new(OidcErrorCodes.InvalidRequest, "client_id does not match id_token_hint.");

    public static OidcError EndSessionUnknownClient() => new(OidcErrorCodes.InvalidRequest, "client_id is not a registered client.");

    public static OidcError EndSessionRedirectWithoutClient() => new(OidcErrorCodes.InvalidRequest, "post_logout_redirect_uri needs id_token_hint or client_id to say which application it belongs to.");

    public static OidcError EndSessionRedirectNotRegistered() => new(OidcErrorCodes.InvalidRequest, "post_logout_redirect_uri is not registered for this application.");

    // Token endpoint (RFC 6749 §5.2).
    public static OidcError InvalidClient() => new(OidcErrorCodes.InvalidClient, "Client authentication failed.", StatusCodes.Status401Unauthorized, AllowRedirect: false);

    public static OidcError MultipleClientAuthentications() => new(OidcErrorCodes.InvalidRequest, "Use one client authentication method only.", AllowRedirect: false);

    public static OidcError UnsupportedGrantType() => new(OidcErrorCodes.UnsupportedGrantType, "This grant_type is not supported.", AllowRedirect: false);

    public static OidcError InvalidGrant(string why) => new(OidcErrorCodes.InvalidGrant, why, AllowRedirect: false);

    public static OidcError WrongContentType() => new(OidcErrorCodes.InvalidRequest, "The request must be an application/x-www-form-urlencoded POST.", AllowRedirect: false);

    public static OidcError TokenRequestParameter(string name) => new(OidcErrorCodes.InvalidRequest, $"The parameter {name} is missing.", AllowRedirect: false);

    public static OidcError TokenRequestInvalid(string description) => new(OidcErrorCodes.InvalidRequest, description, AllowRedirect: false);

    public static OidcError TokenScopeInvalid(string description) => new(OidcErrorCodes.InvalidScope, description, AllowRedirect: false);

    public static OidcError ClientNotAllowedGrant(string grantType) => new(OidcErrorCodes.UnauthorizedClient, $"This client may not use {grantType}.", AllowRedirect: false);

    // Bearer tokens (RFC 6750 §3.1).
    public static OidcError InvalidToken(string why) => new(OidcErrorCodes.InvalidToken, why, StatusCodes.Status401Unauthorized, AllowRedirect: false);

    public static OidcError InsufficientScope(string why) => new(OidcErrorCodes.InsufficientScope, why, StatusCodes.Status403Forbidden, AllowRedirect: false);

    public static OidcError ServerError() => new(OidcErrorCodes.ServerError, "The server could not complete the request.", StatusCodes.Status500InternalServerError);

    private static OidcError Redirected(string code, string description) => new(code, description, AllowRedirect: true);
}
