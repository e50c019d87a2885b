using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;

namespace Idp.Oidc.Introspection;

/// <summary>
/// RFC 7662 §2.2: a client sees its own tokens; one with AllowIntrospection (a resource server) sees any. Everything
/// else, expired, revoked, foreign or unknown, is {"active": false} and says nothing more.
/// </summary>
internal sealed class IntrospectionHandler(IGrantStore grants, IRefreshTokenStore refreshTokens, AccessTokenValidator accessTokens, TokenFactory tokens, TimeProvider time)
{
    private static readonly ProtocolResult Inactive = ProtocolResult.Ok(new Dictionary<string, object> { ["active"] = false });

    public async Task<ProtocolResult> HandleAsync(ValidatedIntrospectionRequest request, CancellationToken cancellationToken)
    {
        var client = request.Client;
        var access = await accessTokens.ValidateAsync(request.Token, cancellationToken);
        if (access.IsValid)
        {
            var jwt = access.Token!;
            var owner = jwt.TryGetPayloadValue<string>("client_id", out var id) ? id : null;
            if (owner != client.ClientId && !client.AllowIntrospection)
            {
                return Inactive;
            }

            return ProtocolResult.Ok(new Dictionary<string, object>
            {
                ["active"] = true,
                ["token_type"] = "Bearer",
                ["client_id"] = owner ?? string.Empty,
                ["sub"] = jwt.Subject,
                ["scope"] = string.Join(' ', access.Scopes),
                ["iss"] = jwt.Issuer,
                ["aud"] = jwt.Audiences.ToArray(),
                ["exp"] = new DateTimeOffset(jwt.ValidTo).ToUnixTimeSeconds(),
                ["iat"] = new DateTimeOffset(jwt.IssuedAt).ToUnixTimeSeconds(),
                ["jti"] = jwt.Id,
            });
        }

        var refresh = await refreshTokens.FindAsync(request.Token, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (refresh is not null && refresh.ConsumedAt is null && refresh.ExpiresAt > now
            && (refresh.ClientId == client.ClientId || client.AllowIntrospection)
            && await grants.IsGrantActiveAsync(refresh.GrantId, cancellationToken))
        {
            return ProtocolResult.Ok(new Dictionary<string, object>
            {
                ["active"] = true,
                ["token_type"] = "refresh_token",
                ["client_id"] = refresh.ClientId,
                ["sub"] = refresh.SubjectId,
                ["scope"] = refresh.Scopes,
                ["iss"] = tokens.Issuer,
                ["exp"] = new DateTimeOffset(refresh.ExpiresAt, TimeSpan.Zero).ToUnixTimeSeconds(),
                ["iat"] = new DateTimeOffset(refresh.CreatedAt, TimeSpan.Zero).ToUnixTimeSeconds(),
            });
        }

        return Inactive;
    }
}
