using Idp.Audit;
using Idp.Oidc.Clients;
using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;

namespace Idp.Oidc.Token;

/// <summary>RFC 6749 §6: the token is rotated on every use; a refused request spends nothing.</summary>
internal sealed class RefreshTokenGrant(IRefreshTokenStore refreshTokens, TokenIssuer issuer, AuditLog audit, TimeProvider time) : ITokenGrant
{
    public string GrantType => GrantTypes.RefreshToken;

    public async Task<ProtocolResult> HandleAsync(ClientOptions client, ProtocolParameters form, CancellationToken cancellationToken)
    {
        if (form["refresh_token"] is not { } token)
        {
            return ProtocolResult.Fail(OidcErrors.TokenRequestParameter("refresh_token"));
        }

        // RFC 6749 §6: the scope may narrow, never widen. Checked before the token is spent, so a refused request
        // leaves it as it was (a refresh token's scopes never change: reading them first is safe). Only a live token
        // of this client is read: a spent, expired or foreign one goes on to the consumption, which answers it.
        string[]? narrowed = null;
        if (form["scope"] is { } requested)
        {
            var found = await refreshTokens.FindAsync(token, cancellationToken);
            var live = found is { ConsumedAt: null } && found.ClientId == client.ClientId && found.ExpiresAt > time.GetUtcNow().UtcDateTime;
            var granted = live ? found!.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            narrowed = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            if (live && narrowed.FirstOrDefault(s => !granted.Contains(s, StringComparer.Ordinal)) is { } extra)
            {
                return ProtocolResult.Fail(OidcErrors.TokenScopeInvalid($"The scope {extra} was not granted originally."));
            }
        }

        return await refreshTokens.RotateAsync(() => RotateAsync(client, token, narrowed, cancellationToken), cancellationToken);
    }

    private async Task<ProtocolResult> RotateAsync(ClientOptions client, string token, string[]? narrowed, CancellationToken cancellationToken)
    {
        var (status, record, holder) = await refreshTokens.ConsumeAsync(token, client.ClientId, cancellationToken);
        switch (status)
        {
            case ConsumeStatus.NotFound or ConsumeStatus.Expired:
                return ProtocolResult.Fail(OidcErrors.InvalidGrant("The refresh token is invalid or expired."));
            case ConsumeStatus.Reused:
                await audit.WriteAsync(AuditEventTypes.RefreshTokenReused, $"client:{client.ClientId}", record!.UserId, client.ClientId, "rotated refresh token used again; its grant was revoked", cancellationToken);
                return ProtocolResult.Fail(OidcErrors.InvalidGrant("The refresh token was already used."));
            case ConsumeStatus.Refused:
                return ProtocolResult.Fail(OidcErrors.InvalidGrant("The refresh token was revoked or the user is no longer allowed to sign in."));
        }

        var (user, consumed) = (holder!, record!);
        var scopes = narrowed ?? consumed.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var subject = new TokenSubject(client.ClientId, user.Id, user.SubjectId, scopes, consumed.SessionId, consumed.AuthTime, consumed.Acr, TokenIssuer.Split(consumed.Amr), consumed.GrantId);
        return await issuer.IssueAsync(client, user, subject, null, GrantTypes.RefreshToken, cancellationToken);
    }
}
