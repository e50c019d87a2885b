using Idp.Oidc.Authorize;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Microsoft.AspNetCore.WebUtilities;

namespace Idp.Oidc.Consent;

/// <summary>
/// Records a consent answer. Allow stores the consent and resumes the authorization request; deny closes it and
/// answers the client access_denied (RFC 6749 §4.1.2.1) at its redirect URI.
/// </summary>
public sealed class ConsentHandler(IConsentStore consents, PendingAuthorizations pending, TokenFactory tokens)
{
    public async Task<AuthorizeOutcome> HandleAsync(ValidatedConsentDecision decision, CancellationToken cancellationToken)
    {
        var request = decision.Pending;
        if (decision.Allow)
        {
            await consents.GrantAsync(decision.UserId, request.Client.ClientId, request.Scopes, cancellationToken);
            return new AuthorizeOutcome.Redirect(QueryHelpers.AddQueryString(AuthorizeHandler.ResumePath, "id", decision.PendingId));
        }

        await pending.TryCompleteAsync(decision.PendingId, cancellationToken);
        return AuthorizeResponseBuilder.Error(request.RedirectUri, request.ResponseMode, OidcErrors.AccessDenied(), request.State, tokens.Issuer);
    }
}
