using Idp.Oidc.Audit;
using Idp.Oidc.Clients;
using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Token;
using Idp.Oidc.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Oidc.Revocation;

/// <summary>
/// RFC 7009 token revocation. The client authenticates; a refresh token revokes its whole grant (§2.1: access tokens
/// of the grant too); an access token is revoked by its jti. Unknown or foreign tokens still answer 200 (§2.2).
/// </summary>
internal static class RevocationEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ClientAuthenticator authenticator, GrantStore grants, RefreshTokenStore refreshTokens, AccessTokenValidator accessTokens, AuditLog audit, CancellationToken cancellationToken)
    {
        IResult? failure = null;
        var read = await AuthenticatedFormRequest.ReadAsync(context, authenticator, confidentialOnly: false, r => failure = r, cancellationToken);
        if (read is null)
        {
            return failure!;
        }

        var (form, client) = read.Value;

        var token = form["token"]!;

        // §2.1: token_type_hint is only a hint; both kinds are looked up whatever it says.
        var refresh = await refreshTokens.FindAsync(token, cancellationToken);
        if (refresh is not null)
        {
            if (refresh.ClientId == client.ClientId && await grants.RevokeGrantAsync(refresh.GrantId, cancellationToken))
            {
                await audit.WriteAsync(AuditEventTypes.GrantRevoked, $"client:{client.ClientId}", refresh.UserId, client.ClientId, "refresh token revoked by its client", cancellationToken);
            }
        }
        else if (await accessTokens.ValidateAsync(token, cancellationToken) is { IsValid: true, Token: JsonWebToken jwt }
                 && jwt.TryGetPayloadValue<string>("client_id", out var owner) && owner == client.ClientId)
        {
            await grants.RevokeAccessTokenAsync(jwt.Id, jwt.ValidTo, cancellationToken);
            await audit.WriteAsync(AuditEventTypes.TokenRevoked, $"client:{client.ClientId}", clientId: client.ClientId, details: "access token revoked by its client", cancellationToken: cancellationToken);
        }

        OidcHttpResults.NoStore(context);
        return Results.Ok();
    }
}
