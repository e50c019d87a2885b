using Idp.Audit;
using Idp.Oidc.Grants;
using Idp.Oidc.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Oidc.Revocation;

/// <summary>
/// RFC 7009 token revocation: a refresh token revokes its whole grant (§2.1: access tokens of the grant too); an
/// access token is revoked by its jti. Unknown or foreign tokens change nothing and still succeed (§2.2).
/// </summary>
internal sealed class RevocationHandler(IGrantStore grants, IRefreshTokenStore refreshTokens, AccessTokenValidator accessTokens, AuditLog audit)
{
    public async Task HandleAsync(ValidatedRevocationRequest request, CancellationToken cancellationToken)
    {
        var client = request.Client;

        // §2.1: token_type_hint is only a hint; both kinds are looked up whatever it says.
        var refresh = await refreshTokens.FindAsync(request.Token, cancellationToken);
        if (refresh is not null)
        {
            if (refresh.ClientId == client.ClientId && await grants.RevokeGrantAsync(refresh.GrantId, cancellationToken))
            {
                await audit.WriteAsync(AuditEventTypes.GrantRevoked, $"client:{client.ClientId}", refresh.UserId, client.ClientId, "refresh token revoked by its client", cancellationToken);
            }
        }
        else if (await accessTokens.ValidateAsync(request.Token, cancellationToken) is { IsValid: true, Token: JsonWebToken jwt }
                 && jwt.TryGetPayloadValue<string>("client_id", out var owner) && owner == client.ClientId)
        {
            await grants.RevokeAccessTokenAsync(jwt.Id, jwt.ValidTo, cancellationToken);
            await audit.WriteAsync(AuditEventTypes.TokenRevoked, $"client:{client.ClientId}", clientId: client.ClientId, details: "access token revoked by its client", cancellationToken: cancellationToken);
        }
    }
}
