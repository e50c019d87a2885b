using Idp.Oidc.Clients;
using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Token;
using Idp.Oidc.Tokens;

namespace Idp.Oidc.Introspection;

/// <summary>
/// RFC 7662 introspection, for authenticated confidential clients only (§2.1). A client sees its own tokens; one
/// with AllowIntrospection (a resource server) sees any. Everything else is {"active": false} (§2.2).
/// </summary>
internal static class IntrospectionEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ClientAuthenticator authenticator, GrantStore grants, RefreshTokenStore refreshTokens, AccessTokenValidator accessTokens, TokenFactory tokens, TimeProvider time, CancellationToken cancellationToken)
    {
        IResult? failure = null;
        var read = await AuthenticatedFormRequest.ReadAsync(context, authenticator, confidentialOnly: true, r => failure = r, cancellationToken);
        if (read is null)
        {
            return failure!;
        }

        var (form, client) = read.Value;

        var token = form["token"]!;
        var inactive = new Dictionary<string, object> { ["active"] = false };
        var access = await accessTokens.ValidateAsync(token, cancellationToken);
        if (access.IsValid)
        {
            var jwt = access.Token!;
            var owner = jwt.TryGetPayloadValue<string>("client_id", out var id) ? id : null;
            if (owner != client.ClientId && !client.AllowIntrospection)
            {
                return OidcHttpResults.Json(context, inactive);
            }

            var body = new Dictionary<string, object>
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
            };
            return OidcHttpResults.Json(context, body);
        }

        var refresh = await refreshTokens.FindAsync(token, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (refresh is not null && refresh.ConsumedAt is null && refresh.ExpiresAt > now
            && (refresh.ClientId == client.ClientId || client.AllowIntrospection)
            && await grants.IsGrantActiveAsync(refresh.GrantId, cancellationToken))
        {
            return OidcHttpResults.Json(context, new Dictionary<string, object>
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

        return OidcHttpResults.Json(context, inactive);
    }
}
