using Idp.Audit;
using Idp.Oidc.Authorize;
using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Identity;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// The core's side of a factor's enrollment page (<see cref="IEnrollmentFlow"/>): only a pending sign-in whose
/// purpose is enrollment opens it (a plain sign-in after the password never gets a key: NIST SP 800-63B §6.1.2.1),
/// the first response goes through <see cref="SecondFactorAttempts"/>, and completion is the core's.
/// </summary>
internal sealed class EnrollmentFlow(
    PendingSignIns pendingSignIns,
    SecondFactorSignIn signIn,
    SecondFactorAttempts attempts,
    SecondFactorPolicy policy,
    UserSessionsEnder sessions,
    UserManager<IdpUser> users,
    AuditLog audit) : IEnrollmentFlow
{
    public async Task<(PendingEnrollment? Pending, string? Redirect)> OpenAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (await pendingSignIns.FindAsync(context, cancellationToken) is not { } pending)
        {
            return (null, AccountRoutes.LoginTimedOut);
        }

        if (Purpose(pending, context) is not { } purpose)
        {
            return (null, pending.Purpose is PendingSignInPurpose.SignIn or PendingSignInPurpose.ProveExpired ? AccountRoutes.Code : AccountRoutes.LoginTimedOut);
        }

        var user = await users.FindByIdAsync(pending.UserId);
        return (new PendingEnrollment(pending.Id, pending.UserId, user?.UserName ?? string.Empty, purpose, pending.EnrollmentSecret, pending.ReplacesDeviceId), null);
    }

    public Task<string> KeepStateAsync(PendingEnrollment pending, string state, CancellationToken cancellationToken)
        => pendingSignIns.EnsureEnrollmentSecretAsync(pending.Handle, state, cancellationToken);

    public async Task<EnrollmentStep?> CheckAsync(HttpContext context, PendingEnrollment pending, string retryMessage, Func<CancellationToken, Task<SecondFactorVerdict>> verify, CancellationToken cancellationToken)
    {
        if (await ServedAsync(context, pending, cancellationToken) is not { } row)
        {
            return new EnrollmentStep(AccountRoutes.Login, null, "This page is only for setting up a device. Sign in again.");
        }

        // Of several requests with the same right code, one claims the enrollment, inside the check so that the audit
        // trail records one success: for the others the code was already used, a replay (RFC 6238 §5.2). They save
        // nothing and leave the pending sign-in alone: the one that claimed it still has to complete it.
        var claimedElsewhere = false;
        var check = await attempts.CheckAsync(pending.UserId, row, "enrollment", async ct =>
        {
            var verdict = SecondFactorMethods.Verdict(await verify(ct));
            if (verdict == CodeVerdict.Accepted && (pending.State is null || !await pendingSignIns.TryClaimEnrollmentAsync(row.Id, pending.State, ct)))
            {
                claimedElsewhere = true;
                return (CodeVerdict.Replayed, null);
            }

            return (verdict, "new credential");
        }, cancellationToken);
        if (claimedElsewhere)
        {
            return new EnrollmentStep(AccountRoutes.Login, null, "This sign-in was already completed or has expired. Sign in again.");
        }

        return check.Outcome switch
        {
            CodeCheckOutcome.Accepted => null,
            CodeCheckOutcome.Locked or CodeCheckOutcome.AttemptsUsedUp => Step(await signIn.RefusedAsync(context, row, check, cancellationToken)),
            _ => EnrollmentStep.Retry(retryMessage),
        };
    }

    public async Task<bool> HasUsableCredentialAsync(string userId, CancellationToken cancellationToken)
        => (await policy.StandingAsync(userId, cancellationToken)).Usable > 0;

    public Task AuditAsync(string type, string userId, string details, CancellationToken cancellationToken)
        => audit.WriteAsync(type, $"user:{userId}", userId, details: details, cancellationToken: cancellationToken);

    public async Task<EnrollmentStep> CompleteAsync(HttpContext context, PendingEnrollment pending, IReadOnlyList<string> amr, CancellationToken cancellationToken)
    {
        if (await ServedAsync(context, pending, cancellationToken) is not { } row)
        {
            return new EnrollmentStep(AccountRoutes.Login, null, "This sign-in was already completed or has expired. Sign in again.");
        }

        if (pending.Purpose == EnrollmentPurpose.FirstCredential)
        {
            // A first credential saved with its first right response is a second factor passed (amr and mfa).
            return Step(await signIn.CompleteAsync(context, row, [.. amr, Oidc.Protocol.AuthenticationMethods.MultiFactor], cancellationToken));
        }

        await pendingSignIns.CompleteAsync(context, row, cancellationToken);
        if (pending.Purpose == EnrollmentPurpose.NewKey)
        {
            // Whoever held the old key is out: the user's other sessions end and their refresh tokens die.
            var (ended, revoked) = await sessions.EndAsync(pending.UserId, row.SessionId, cancellationToken);
            await audit.WriteAsync(AuditEventTypes.SessionsEnded, $"user:{pending.UserId}", pending.UserId, details: $"{ended} other session(s) ended, {revoked} grant(s) revoked: a device was given a new key by its owner", cancellationToken: cancellationToken);
        }

        return new EnrollmentStep(row.ReturnUrl, null);
    }

    public async Task<EnrollmentStep> StartOverAsync(HttpContext context, PendingEnrollment pending, string message, CancellationToken cancellationToken)
    {
        if (await pendingSignIns.FindAsync(context, cancellationToken) is { } row && row.Id == pending.Handle)
        {
            await pendingSignIns.CompleteAsync(context, row, cancellationToken);
        }

        return new EnrollmentStep(AccountRoutes.Login, null, message);
    }

    /// <summary>The pending sign-in behind <paramref name="pending"/>, read again: still this browser's, still for enrollment.</summary>
    private async Task<StoredPendingSignIn?> ServedAsync(HttpContext context, PendingEnrollment pending, CancellationToken cancellationToken)
        => await pendingSignIns.FindAsync(context, cancellationToken) is { } row && row.Id == pending.Handle && Purpose(row, context) is not null ? row : null;

    private static EnrollmentPurpose? Purpose(StoredPendingSignIn pending, HttpContext context) => pending.Purpose switch
    {
        // After the password: bound to the browser by the pending cookie. From a session (step-up of a user with no
        // device): also to that session, still alive, like the two below.
        PendingSignInPurpose.ForcedEnrollment when pending.SessionId is null || SameSession(pending, context) => EnrollmentPurpose.FirstCredential,
        // Started from a session after a fresh code: only that session, still alive, may finish it.
        PendingSignInPurpose.AddDevice when SameSession(pending, context) => EnrollmentPurpose.AnotherCredential,
        PendingSignInPurpose.ChangeKey when SameSession(pending, context) => EnrollmentPurpose.NewKey,
        _ => null,
    };

    private static bool SameSession(StoredPendingSignIn pending, HttpContext context)
        => SessionInfo.From(context.User) is { } session && session.SessionId == pending.SessionId && session.UserId == pending.UserId;

    private static EnrollmentStep Step(SecondFactorOutcome outcome)
        => outcome.BackToLogin ? new EnrollmentStep(AccountRoutes.Login, null, outcome.Error) : new EnrollmentStep(outcome.Redirect, outcome.Error);
}
