using Idp.Oidc.Audit;
using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Token;

/// <summary>
/// The token endpoint's common checks (RFC 6749 §3.2, §5.2), then the grant's own (<see cref="ITokenGrant"/>):
/// authorization_code (§4.1.3, RFC 7636 §4.6), refresh_token (§6, rotated on every use), client_credentials (§4.4).
/// It sees the parameters and the client authentication, never the HTTP request.
/// </summary>
internal sealed class TokenRequestHandler(IEnumerable<ITokenGrant> grants, ProtocolErrorTally refusals, ILogger<TokenRequestHandler> logger)
{
    /// <param name="claimedClientId">The client the request names, authenticated or not: refusals are counted under it.</param>
    public async Task<TokenResult> HandleAsync(ClientAuthentication authentication, string? claimedClientId, ProtocolParameters form, CancellationToken cancellationToken)
    {
        var result = await HandleCoreAsync(authentication, form, cancellationToken);
        if (result.Error is { } error)
        {
            logger.LogInformation("Token request refused: {Error} {Description} {Detail}", error.Code, error.Description, error.InternalDetail);
            refusals.Count(claimedClientId, $"token {error.Code}");
        }

        return result;
    }

    private async Task<TokenResult> HandleCoreAsync(ClientAuthentication authentication, ProtocolParameters form, CancellationToken cancellationToken)
    {
        if (form.Duplicate is { } duplicate)
        {
            return TokenResult.Fail(OidcErrors.DuplicateParameter(duplicate, allowRedirect: false));
        }

        if (form.TooLong is { } tooLong)
        {
            return TokenResult.Fail(OidcErrors.ParameterTooLong(tooLong, ProtocolParameters.DefaultMaxLength, allowRedirect: false));
        }

        if (!authentication.Succeeded)
        {
            return TokenResult.Fail(authentication.Error!, authentication.UsedBasic);
        }

        var client = authentication.Client!;
        var grantType = form["grant_type"];
        if (grantType is null)
        {
            return TokenResult.Fail(OidcErrors.TokenRequestParameter("grant_type"));
        }

        if (grants.FirstOrDefault(g => g.GrantType == grantType) is not { } grant)
        {
            return TokenResult.Fail(OidcErrors.UnsupportedGrantType());
        }

        if (!client.Allows(grantType))
        {
            return TokenResult.Fail(OidcErrors.ClientNotAllowedGrant(grantType));
        }

        return await grant.HandleAsync(client, form, cancellationToken);
    }
}
