using Idp.Audit;
using Idp.Oidc.Clients;
using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Idp.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace Idp.Oidc.Token;

/// <summary>The successful token response every user grant ends with (RFC 6749 §5.1, OIDC Core §3.1.3.3).</summary>
internal sealed class TokenIssuer(TokenFactory tokens, IRefreshTokenStore refreshTokens, AuditLog audit, IOptions<Hosting.IdpOptions> options, TimeProvider time)
{
    public async Task<ProtocolResult> IssueAsync(ClientOptions client, TokenUser user, TokenSubject subject, string? nonce, string grantType, CancellationToken cancellationToken)
    {
        var (accessToken, _, expires) = await tokens.CreateAccessTokenAsync(client, subject, cancellationToken);
        var response = Response(accessToken, expires, subject.ScopeString);
        if (subject.Scopes.Contains(Scopes.OpenId))
        {
            response["id_token"] = await tokens.CreateIdTokenAsync(client, subject, user, nonce, accessToken, cancellationToken);
        }

        // OIDC Core §11: offline_access asks for a refresh token; the client must also be allowed the grant.
        if (subject.Scopes.Contains(Scopes.OfflineAccess) && client.Allows(GrantTypes.RefreshToken))
        {
            var now = time.GetUtcNow().UtcDateTime;
            response["refresh_token"] = await refreshTokens.CreateAsync(
                new IssuedRefreshToken(
                    GrantId: subject.GrantId!,
                    ClientId: client.ClientId,
                    UserId: user.Id,
                    SubjectId: user.SubjectId,
                    SessionId: subject.SessionId ?? string.Empty,
                    Scopes: subject.ScopeString,
                    AuthTime: subject.AuthTime ?? now,
                    Acr: subject.Acr ?? options.Value.Acr.Password,
                    Amr: string.Join(' ', subject.Amr),
                    CreatedAt: now,
                    ExpiresAt: now + (client.RefreshTokenLifetime ?? options.Value.Tokens.RefreshTokenLifetime)),
                cancellationToken);
        }

        await audit.WriteAsync(AuditEventTypes.TokenIssued, $"client:{client.ClientId}", user.Id, client.ClientId, $"{grantType} scope={subject.ScopeString}{(response.ContainsKey("refresh_token") ? " +refresh_token" : "")}", cancellationToken);
        return ProtocolResult.Ok(response);
    }

    public Dictionary<string, object> Response(string accessToken, DateTime expires, string scope) => new()
    {
        ["access_token"] = accessToken,
        ["token_type"] = "Bearer",
        ["expires_in"] = (long)Math.Max(0, (expires - time.GetUtcNow().UtcDateTime).TotalSeconds),
        ["scope"] = scope,
    };

    public static string[] Split(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
