using Idp.Audit;
using Idp.Oidc.Clients;
using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;

namespace Idp.Oidc.Token;

/// <summary>RFC 6749 §4.4: a machine token for the client itself, no user.</summary>
internal sealed class ClientCredentialsGrant(TokenFactory tokens, TokenIssuer issuer, AuditLog audit) : ITokenGrant
{
    public string GrantType => GrantTypes.ClientCredentials;

    public async Task<ProtocolResult> HandleAsync(ClientOptions client, ProtocolParameters form, CancellationToken cancellationToken)
    {
        var allowed = client.AllowedScopes.Where(s => !Scopes.Identity.Contains(s)).ToList();
        var requested = form["scope"]?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList() ?? allowed;
        if (requested.FirstOrDefault(s => Scopes.Identity.Contains(s)) is { } identityScope)
        {
            // No user is involved: user scopes make no sense here.
            return ProtocolResult.Fail(OidcErrors.TokenScopeInvalid($"The scope {identityScope} needs a user; client_credentials has none."));
        }

        if (requested.FirstOrDefault(s => !allowed.Contains(s, StringComparer.Ordinal)) is { } notAllowed)
        {
            return ProtocolResult.Fail(OidcErrors.TokenScopeInvalid($"The scope {notAllowed} is not allowed for this client."));
        }

        // No grant row: a machine token has nothing to revoke with it, and is revoked by its jti (RFC 7009) if need be.
        var subject = new TokenSubject(client.ClientId, null, client.ClientId, requested, null, null, null, [], null);
        var (accessToken, _, expires) = await tokens.CreateAccessTokenAsync(client, subject, cancellationToken);
        await audit.WriteAsync(AuditEventTypes.TokenIssued, $"client:{client.ClientId}", clientId: client.ClientId, details: $"client_credentials scope={subject.ScopeString}", cancellationToken: cancellationToken);
        return ProtocolResult.Ok(issuer.Response(accessToken, expires, subject.ScopeString));
    }
}
