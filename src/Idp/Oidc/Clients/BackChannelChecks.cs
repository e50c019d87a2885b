using Idp.Oidc.Protocol;

namespace Idp.Oidc.Clients;

/// <summary>The rules revocation (RFC 7009 §2.1) and introspection (RFC 7662 §2.1) share with the token endpoint.</summary>
internal static class BackChannelChecks
{
    /// <summary>RFC 6749 §3.2: an application/x-www-form-urlencoded POST.</summary>
    public static OidcError? FormPost(BackChannelRequest request) => request.Form is null ? OidcErrors.WrongContentType() : null;

    /// <summary>RFC 6749 §3.2: request parameters MUST NOT be included more than once.</summary>
    public static OidcError? EachParameterOnce(BackChannelRequest request)
        => request.Form?.Duplicate is { } duplicate ? OidcErrors.DuplicateParameter(duplicate, allowRedirect: false) : null;

    /// <summary>RFC 7009 §2.1, RFC 7662 §2.1: the client authenticates as it does at the token endpoint.</summary>
    public static OidcError? ClientAuthenticated(BackChannelRequest request)
        => request.Authentication.Succeeded ? null : request.Authentication.Error ?? OidcErrors.InvalidClient();

    /// <summary>RFC 7009 §2.1, RFC 7662 §2.1: the token parameter is REQUIRED.</summary>
    public static OidcError? TokenPresent(BackChannelRequest request) => request.Form?["token"] is null ? OidcErrors.TokenRequestParameter("token") : null;
}
