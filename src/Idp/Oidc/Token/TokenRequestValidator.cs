using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Token;

/// <summary>The checks every token request passes before its grant type's own (RFC 6749 §3.2, §5.2).</summary>
internal sealed class TokenRequestValidator
{
    private readonly IReadOnlyList<ITokenGrant> _grants;

    public TokenRequestValidator(IEnumerable<ITokenGrant> grants)
    {
        _grants = grants.ToList();
        Checks = [BackChannelChecks.FormPost, BackChannelChecks.EachParameterOnce, NoOverlongParameter, BackChannelChecks.ClientAuthenticated, GrantTypePresent, GrantTypeSupported, ClientMayUseGrant];
    }

    public IReadOnlyList<RequestCheck<BackChannelRequest>> Checks { get; }

    /// <summary>Every value within <see cref="ProtocolParameters.DefaultMaxLength"/>: nothing legitimate is longer.</summary>
    public static OidcError? NoOverlongParameter(BackChannelRequest request)
        => request.Form?.TooLong is { } tooLong ? OidcErrors.ParameterTooLong(tooLong, ProtocolParameters.DefaultMaxLength, allowRedirect: false) : null;

    /// <summary>RFC 6749 §4.1.3, §4.4.2, §6: grant_type is REQUIRED.</summary>
    public static OidcError? GrantTypePresent(BackChannelRequest request) => request.Form?["grant_type"] is null ? OidcErrors.TokenRequestParameter("grant_type") : null;

    /// <summary>RFC 6749 §5.2 unsupported_grant_type: only the grants registered here.</summary>
    public OidcError? GrantTypeSupported(BackChannelRequest request) => GrantFor(request) is null ? OidcErrors.UnsupportedGrantType() : null;

    /// <summary>RFC 6749 §5.2 unauthorized_client: the client is registered for this grant type.</summary>
    public static OidcError? ClientMayUseGrant(BackChannelRequest request)
        => request.Authentication.Client is { } client && request.Form?["grant_type"] is { } grantType && !client.Allows(grantType)
            ? OidcErrors.ClientNotAllowedGrant(grantType)
            : null;

    public (ValidatedTokenRequest? Request, OidcError? Error) Validate(BackChannelRequest request)
        => RequestChecks.FirstFailure(request, Checks) is { } error
            ? (null, error)
            : (new ValidatedTokenRequest(request.Authentication.Client!, GrantFor(request)!, request.Form!), null);

    private ITokenGrant? GrantFor(BackChannelRequest request) => _grants.FirstOrDefault(g => g.GrantType == request.Form?["grant_type"]);
}
