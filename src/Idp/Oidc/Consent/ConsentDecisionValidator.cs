using Idp.Oidc.Authorize;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Consent;

/// <summary>
/// A consent answer counts only for a pending request that is still open and valid, from a signed-in person. Anything
/// but "allow" is a refusal: an unclear answer never grants access.
/// </summary>
public sealed class ConsentDecisionValidator(AuthorizeHandler authorize)
{
    public async Task<(ValidatedConsentDecision? Decision, OidcError? Error)> ValidateAsync(string? pendingId, string? decision, SessionInfo? session, CancellationToken cancellationToken)
    {
        // The pending request is validated again, as at resume: the client's registration may have changed since.
        if (await authorize.FindPendingAsync(pendingId, cancellationToken) is not { } pending)
        {
            return (null, OidcErrors.InteractionExpired());
        }

        if (session is null)
        {
            return (null, OidcErrors.LoginRequired());
        }

        return (new ValidatedConsentDecision(pendingId!, pending, session.UserId, decision == "allow"), null);
    }
}
