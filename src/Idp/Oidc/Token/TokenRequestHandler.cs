using Idp.Accounts;
using Idp.Oidc.Audit;
using Idp.Oidc.Clients;
using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Idp.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace Idp.Oidc.Token;

/// <summary>
/// The token endpoint's checks and grants: authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6), refresh_token
/// (§6, rotated on every use), client_credentials (§4.4).
/// </summary>
public sealed class TokenRequestHandler(
    ClientAuthenticator authenticator,
    GrantStore grants,
    RefreshTokenStore refreshTokens,
    TokenFactory tokens,
    AuditLog audit,
    ProtocolErrorTally refusals,
    IOptions<Hosting.IdpOptions> options,
    TimeProvider time,
    ILogger<TokenRequestHandler> logger)
{
    public async Task<TokenResult> HandleAsync(HttpRequest request, ProtocolParameters form, CancellationToken cancellationToken)
    {
        var result = await HandleCoreAsync(request, form, cancellationToken);
        if (result.Error is { } error)
        {
            logger.LogInformation("Token request refused: {Error} {Description} {Detail}", error.Code, error.Description, error.InternalDetail);
            refusals.Count(ClientAuthenticator.ClaimedClientId(request, form), $"token {error.Code}");
        }

        return result;
    }

    private async Task<TokenResult> HandleCoreAsync(HttpRequest request, ProtocolParameters form, CancellationToken cancellationToken)
    {
        if (form.Duplicate is { } duplicate)
        {
            return TokenResult.Fail(OidcErrors.DuplicateParameter(duplicate, allowRedirect: false));
        }

        if (form.TooLong is { } tooLong)
        {
            return TokenResult.Fail(OidcErrors.ParameterTooLong(tooLong, ProtocolParameters.DefaultMaxLength, allowRedirect: false));
        }

        var authentication = authenticator.Authenticate(request, form);
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

        if (!GrantTypes.Supported.Contains(grantType))
        {
            return TokenResult.Fail(OidcErrors.UnsupportedGrantType());
        }

        if (!client.Allows(grantType))
        {
            return TokenResult.Fail(OidcErrors.ClientNotAllowedGrant(grantType));
        }

        return grantType switch
        {
            GrantTypes.AuthorizationCode => await AuthorizationCodeAsync(client, form, cancellationToken),
            GrantTypes.RefreshToken => await RefreshTokenAsync(client, form, cancellationToken),
            _ => await ClientCredentialsAsync(client, form, cancellationToken),
        };
    }

    private async Task<TokenResult> AuthorizationCodeAsync(ClientOptions client, ProtocolParameters form, CancellationToken cancellationToken)
    {
        if (form["code"] is not { } code)
        {
            return TokenResult.Fail(OidcErrors.TokenRequestParameter("code"));
        }

        // RFC 6749 §4.1.3: redirect_uri is required when the authorization request had one, which OIDC always does.
        if (form["redirect_uri"] is not { } redirectUri)
        {
            return TokenResult.Fail(OidcErrors.TokenRequestParameter("redirect_uri"));
        }

        var verifier = form["code_verifier"];
        if (verifier is not null && !IsValidVerifier(verifier))
        {
            // RFC 7636 §4.1: 43 to 128 characters of [A-Z] [a-z] [0-9] - . _ ~
            return TokenResult.Fail(OidcErrors.TokenRequestInvalid("code_verifier must be 43 to 128 unreserved characters."));
        }

        var (status, record) = await grants.ConsumeCodeAsync(code, cancellationToken);
        switch (status)
        {
            case ConsumeStatus.NotFound or ConsumeStatus.Expired:
                return TokenResult.Fail(OidcErrors.InvalidGrant("The authorization code is invalid or expired."));
            case ConsumeStatus.Reused:
                await audit.WriteAsync(AuditEventTypes.CodeReused, $"client:{client.ClientId}", record!.UserId, client.ClientId, "second redemption; its grant was revoked", cancellationToken);
                return TokenResult.Fail(OidcErrors.InvalidGrant("The authorization code was already used."));
        }

        // RFC 6749 §4.1.3: the code must have been issued to this client, for this redirect URI.
        if (record!.ClientId != client.ClientId)
        {
            return TokenResult.Fail(OidcErrors.InvalidGrant("The authorization code was issued to another client."));
        }

        if (record.RedirectUri != redirectUri)
        {
            return TokenResult.Fail(OidcErrors.InvalidGrant("redirect_uri does not match the authorization request."));
        }

        // RFC 7636 §4.6: S256(code_verifier) must equal the stored challenge; a verifier with no challenge is a downgrade.
        if (record.CodeChallenge is { } challenge)
        {
            if (verifier is null)
            {
                return TokenResult.Fail(OidcErrors.InvalidGrant("code_verifier is required."));
            }

            if (!TokenHandles.FixedTimeEquals(TokenHandles.S256(verifier), challenge))
            {
                return TokenResult.Fail(OidcErrors.InvalidGrant("code_verifier does not match the code_challenge."));
            }
        }
        else if (verifier is not null)
        {
            return TokenResult.Fail(OidcErrors.InvalidGrant("code_verifier was sent but the authorization request had no code_challenge."));
        }

        if (await ActiveUserAsync(record.GrantId!, record.UserId, cancellationToken) is not { } user)
        {
            return TokenResult.Fail(OidcErrors.InvalidGrant("The grant was revoked or the user is no longer allowed to sign in."));
        }

        var scopes = record.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var subject = new TokenSubject(client.ClientId, user.Id, user.SubjectId, scopes, record.SessionId, record.AuthTime, record.Acr, Split(record.Amr), record.GrantId!);
        return await IssueAsync(client, user, subject, record.Nonce, GrantTypes.AuthorizationCode, cancellationToken);
    }

    private async Task<TokenResult> RefreshTokenAsync(ClientOptions client, ProtocolParameters form, CancellationToken cancellationToken)
    {
        if (form["refresh_token"] is not { } token)
        {
            return TokenResult.Fail(OidcErrors.TokenRequestParameter("refresh_token"));
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
                return TokenResult.Fail(OidcErrors.TokenScopeInvalid($"The scope {extra} was not granted originally."));
            }
        }

        return await refreshTokens.RotateAsync(() => RotateAsync(client, token, narrowed, cancellationToken), cancellationToken);
    }

    private async Task<TokenResult> RotateAsync(ClientOptions client, string token, string[]? narrowed, CancellationToken cancellationToken)
    {
        var (status, record, holder) = await refreshTokens.ConsumeAsync(token, client.ClientId, cancellationToken);
        switch (status)
        {
            case ConsumeStatus.NotFound or ConsumeStatus.Expired:
                return TokenResult.Fail(OidcErrors.InvalidGrant("The refresh token is invalid or expired."));
            case ConsumeStatus.Reused:
                await audit.WriteAsync(AuditEventTypes.RefreshTokenReused, $"client:{client.ClientId}", record!.UserId, client.ClientId, "rotated refresh token used again; its grant was revoked", cancellationToken);
                return TokenResult.Fail(OidcErrors.InvalidGrant("The refresh token was already used."));
            case ConsumeStatus.Refused:
                return TokenResult.Fail(OidcErrors.InvalidGrant("The refresh token was revoked or the user is no longer allowed to sign in."));
        }

        var (user, consumed) = (holder!, record!);
        var scopes = narrowed ?? consumed.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var subject = new TokenSubject(client.ClientId, user.Id, user.SubjectId, scopes, consumed.SessionId, consumed.AuthTime, consumed.Acr, Split(consumed.Amr), consumed.GrantId);
        return await IssueAsync(client, user, subject, null, GrantTypes.RefreshToken, cancellationToken);
    }

    private async Task<TokenResult> ClientCredentialsAsync(ClientOptions client, ProtocolParameters form, CancellationToken cancellationToken)
    {
        var allowed = client.AllowedScopes.Where(s => !Scopes.Identity.Contains(s)).ToList();
        var requested = form["scope"]?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList() ?? allowed;
        if (requested.FirstOrDefault(s => Scopes.Identity.Contains(s)) is { } identityScope)
        {
            // No user is involved: user scopes make no sense here.
            return TokenResult.Fail(OidcErrors.TokenScopeInvalid($"The scope {identityScope} needs a user; client_credentials has none."));
        }

        if (requested.FirstOrDefault(s => !allowed.Contains(s, StringComparer.Ordinal)) is { } notAllowed)
        {
            return TokenResult.Fail(OidcErrors.TokenScopeInvalid($"The scope {notAllowed} is not allowed for this client."));
        }

        // No grant row: a machine token has nothing to revoke with it, and is revoked by its jti (RFC 7009) if need be.
        var subject = new TokenSubject(client.ClientId, null, client.ClientId, requested, null, null, null, [], null);
        var (accessToken, _, expires) = await tokens.CreateAccessTokenAsync(client, subject, cancellationToken);
        await audit.WriteAsync(AuditEventTypes.TokenIssued, $"client:{client.ClientId}", clientId: client.ClientId, details: $"client_credentials scope={subject.ScopeString}", cancellationToken: cancellationToken);
        return new TokenResult(Response(accessToken, expires, subject.ScopeString), null);
    }

    private async Task<TokenResult> IssueAsync(ClientOptions client, IdpUser user, TokenSubject subject, string? nonce, string grantType, CancellationToken cancellationToken)
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
            response["refresh_token"] = await refreshTokens.CreateAsync(new RefreshTokenRecord
            {
                TokenHash = string.Empty,
                GrantId = subject.GrantId!,
                ClientId = client.ClientId,
                UserId = user.Id,
                SubjectId = user.SubjectId,
                SessionId = subject.SessionId ?? string.Empty,
                Scopes = subject.ScopeString,
                AuthTime = subject.AuthTime ?? now,
                Acr = subject.Acr ?? options.Value.Acr.Password,
                Amr = string.Join(' ', subject.Amr),
                CreatedAt = now,
                ExpiresAt = now + (client.RefreshTokenLifetime ?? options.Value.Tokens.RefreshTokenLifetime),
            }, cancellationToken);
        }

        await audit.WriteAsync(AuditEventTypes.TokenIssued, $"client:{client.ClientId}", user.Id, client.ClientId, $"{grantType} scope={subject.ScopeString}{(response.ContainsKey("refresh_token") ? " +refresh_token" : "")}", cancellationToken);
        return new TokenResult(response, null);
    }

    /// <summary>
    /// The grant's user, when the grant is still active and the user exists and is not locked by an administrator.
    /// A brute-force lock stops new sign-ins only (<see cref="UserLockout"/>).
    /// </summary>
    private async Task<IdpUser?> ActiveUserAsync(string grantId, string userId, CancellationToken cancellationToken)
    {
        var user = await grants.FindActiveGrantUserAsync(grantId, userId, cancellationToken);
        return user is null || UserLockout.IsLockedByAdministrator(user) ? null : user;
    }

    private Dictionary<string, object> Response(string accessToken, DateTime expires, string scope) => new()
    {
        ["access_token"] = accessToken,
        ["token_type"] = "Bearer",
        ["expires_in"] = (long)Math.Max(0, (expires - time.GetUtcNow().UtcDateTime).TotalSeconds),
        ["scope"] = scope,
    };

    private static bool IsValidVerifier(string verifier)
        => verifier.Length is >= 43 and <= 128 && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    private static string[] Split(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
