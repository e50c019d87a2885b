using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Introspection;

/// <summary>RFC 7662 §2.1: the caller authenticates, and only confidential clients may ask.</summary>
internal static class IntrospectionRequestValidator
{
    public static readonly IReadOnlyList<RequestCheck<BackChannelRequest>> Checks =
    [
        BackChannelChecks.FormPost,
        BackChannelChecks.EachParameterOnce,
        BackChannelChecks.ClientAuthenticated,
        ConfidentialClient,
        BackChannelChecks.TokenPresent,
    ];

    /// <summary>
    /// §2.1 lets the server require authorization of the caller; a public client's client_id proves nothing, so
    /// introspection would be a token oracle for anyone who knows one.
    /// </summary>
    public static OidcError? ConfidentialClient(BackChannelRequest request)
        => request.Authentication.Client is { IsPublic: true } ? OidcErrors.InvalidClient().WithDetail("a public client may not introspect") : null;

    public static (ValidatedIntrospectionRequest? Request, OidcError? Error) Validate(BackChannelRequest request)
        => RequestChecks.FirstFailure(request, Checks) is { } error
            ? (null, error)
            : (new ValidatedIntrospectionRequest(request.Authentication.Client!, request.Form!["token"]!), null);
}
