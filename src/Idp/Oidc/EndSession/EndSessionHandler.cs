using Idp.Audit;
using Idp.Oidc.Authorize;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Idp.Oidc.EndSession;

/// <summary>
/// RP-Initiated Logout 1.0: decides whether a validated request ends the session now or asks first, and ends it.
/// Signing out deletes the session row, so every node sees the session end.
/// </summary>
public sealed class EndSessionHandler(SignInManager<IdpUser> signIn, UserManager<IdpUser> users, AuditLog audit)
{
    public async Task<EndSessionDecision> DecideAsync(ValidatedEndSessionRequest request, SessionInfo? session)
    {
        if (session is null)
        {
            return EndSessionDecision.NothingToEnd;
        }

        var sessionSubject = (await users.FindByIdAsync(session.UserId))?.SubjectId;
        return request.HintedSubject is not null && sessionSubject == request.HintedSubject ? EndSessionDecision.SignOut : EndSessionDecision.AskFirst;
    }

    public async Task SignOutAsync(ValidatedEndSessionRequest request, SessionInfo? session, CancellationToken cancellationToken)
    {
        if (session is not null)
        {
            await signIn.SignOutAsync();
            await audit.WriteAsync(AuditEventTypes.Logout, $"user:{session.UserId}", session.UserId, request.Client?.ClientId, "RP-initiated logout", cancellationToken);
        }
    }

    /// <summary>§3: back to the registered URI with state echoed; null when the request named none.</summary>
    public static string? ReturnAddress(ValidatedEndSessionRequest request)
        => request.PostLogoutRedirectUri is not { } uri ? null : request.State is null ? uri : QueryHelpers.AddQueryString(uri, "state", request.State);
}
