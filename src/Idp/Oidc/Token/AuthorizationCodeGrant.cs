using Idp.Audit;
using Idp.Oidc.Clients;
using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Idp.Accounts;
using Idp.Persistence.Entities;

namespace Idp.Oidc.Token;

/// <summary>RFC 6749 §4.1.3 with RFC 7636 §4.6: a code, once, by the client it was issued to, with its verifier.</summary>
internal sealed class AuthorizationCodeGrant(IGrantStore grants, TokenIssuer issuer, AuditLog audit) : ITokenGrant
{
    public string GrantType => GrantTypes.AuthorizationCode;

    public async Task<ProtocolResult> HandleAsync(ClientOptions client, ProtocolParameters form, CancellationToken cancellationToken)
    {
        if (form["code"] is not { } code)
        {
            return ProtocolResult.Fail(OidcErrors.TokenRequestParameter("code"));
        }

        // RFC 6749 §4.1.3: redirect_uri is required when the authorization request had one, which OIDC always does.
        if (form["redirect_uri"] is not { } redirectUri)
        {
            return ProtocolResult.Fail(OidcErrors.TokenRequestParameter("redirect_uri"));
        }

        var verifier = form["code_verifier"];
        if (verifier is not null && !IsValidVerifier(verifier))
        {
            // RFC 7636 §4.1: 43 to 128 characters of [A-Z] [a-z] [0-9] - . _ ~
            return ProtocolResult.Fail(OidcErrors.TokenRequestInvalid("code_verifier must be 43 to 128 unreserved characters."));
        }

        var (status, record) = await grants.ConsumeCodeAsync(code, cancellationToken);
        switch (status)
        {
            case ConsumeStatus.NotFound or ConsumeStatus.Expired:
                return ProtocolResult.Fail(OidcErrors.InvalidGrant("The authorization code is invalid or expired."));
            case ConsumeStatus.Reused:
                await audit.WriteAsync(AuditEventTypes.CodeReused, $"client:{client.ClientId}", record!.UserId, client.ClientId, "second redemption; its grant was revoked", cancellationToken);
                return ProtocolResult.Fail(OidcErrors.InvalidGrant("The authorization code was already used."));
        }

        // RFC 6749 §4.1.3: the code must have been issued to this client, for this redirect URI.
        if (record!.ClientId != client.ClientId)
        {
            return ProtocolResult.Fail(OidcErrors.InvalidGrant("The authorization code was issued to another client."));
        }

        if (record.RedirectUri != redirectUri)
        {
            return ProtocolResult.Fail(OidcErrors.InvalidGrant("redirect_uri does not match the authorization request."));
        }

        // RFC 7636 §4.6: S256(code_verifier) must equal the stored challenge; a verifier with no challenge is a downgrade.
        if (record.CodeChallenge is { } challenge)
        {
            if (verifier is null)
            {
                return ProtocolResult.Fail(OidcErrors.InvalidGrant("code_verifier is required."));
            }

            if (!TokenHandles.FixedTimeEquals(TokenHandles.S256(verifier), challenge))
            {
                return ProtocolResult.Fail(OidcErrors.InvalidGrant("code_verifier does not match the code_challenge."));
            }
        }
        else if (verifier is not null)
        {
            return ProtocolResult.Fail(OidcErrors.InvalidGrant("code_verifier was sent but the authorization request had no code_challenge."));
        }

        if (await ActiveUserAsync(record.GrantId!, record.UserId, cancellationToken) is not { } user)
        {
            return ProtocolResult.Fail(OidcErrors.InvalidGrant("The grant was revoked or the user is no longer allowed to sign in."));
        }

        var scopes = record.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var subject = new TokenSubject(client.ClientId, user.Id, user.SubjectId, scopes, record.SessionId, record.AuthTime, record.Acr, TokenIssuer.Split(record.Amr), record.GrantId!);
        return await issuer.IssueAsync(client, user, subject, record.Nonce, GrantTypes.AuthorizationCode, cancellationToken);
    }

    /// <summary>
    /// The grant's user, when the grant is still active and the user exists and is not locked by an administrator.
    /// A brute-force lock stops new sign-ins only (<see cref="UserLockout"/>).
    /// </summary>
    private async Task<TokenUser?> ActiveUserAsync(string grantId, string userId, CancellationToken cancellationToken)
    {
        var user = await grants.FindActiveGrantUserAsync(grantId, userId, cancellationToken);
        return user is null || user.IsLockedByAdministrator ? null : user;
    }

    private static bool IsValidVerifier(string verifier)
        => verifier.Length is >= 43 and <= 128 && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');
}
