using Idp.Oidc.Authorize;

namespace Idp.Oidc.Consent;

/// <summary>A consent answer that passed <see cref="ConsentDecisionValidator"/>: the pending request it answers, by whom, and the answer.</summary>
public sealed record ValidatedConsentDecision(string PendingId, ValidatedAuthorizeRequest Pending, string UserId, bool Allow);
