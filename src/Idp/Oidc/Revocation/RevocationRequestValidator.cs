using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Revocation;

/// <summary>RFC 7009 §2.1: public clients may revoke their own tokens (they authenticate with client_id alone).</summary>
internal static class RevocationRequestValidator
{
    public static readonly IReadOnlyList<RequestCheck<BackChannelRequest>> Checks =
    [
        BackChannelChecks.FormPost,
        BackChannelChecks.EachParameterOnce,
        BackChannelChecks.ClientAuthenticated,
        BackChannelChecks.TokenPresent,
    ];

    public static (ValidatedRevocationRequest? Request, OidcError? Error) Validate(BackChannelRequest request)
        => RequestChecks.FirstFailure(request, Checks) is { } error
            ? (null, error)
            : (new ValidatedRevocationRequest(request.Authentication.Client!, request.Form!["token"]!), null);
}
