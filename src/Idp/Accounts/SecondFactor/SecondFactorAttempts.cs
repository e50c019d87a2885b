using Idp.Audit;
using Idp.Persistence.Entities;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// The one guarded path for every second-factor code check: the code page, step-up, enrollment confirmation and the
/// fresh codes /2fregisters asks for. In order (RFC 4226 §7.3, NIST SP 800-63B §5.2.2, OWASP ASVS V2.2.1):
/// an attempt of the page (Otp:Retries) and of the user's budget (Otp:MaxFailures) is reserved atomically before
/// the factor touches any secret; a locked factor or a spent budget refuses the attempt unchecked (audited
/// <c>otp.refused</c>); a checked code is audited as success, failure or replay; the failure that exceeds the budget
/// locks. The budget is the same row whichever page guesses, so guessing at /2fregisters locks sign-in too.
/// </summary>
public sealed class SecondFactorAttempts(SecondFactorFailureBudget budget, PendingSignIns pendingSignIns, AuditLog audit)
{
    /// <param name="pending">The pending sign-in whose page this is, or null for a fresh code in a session.</param>
    /// <param name="action">What the code is for, in the audit trail ("sign-in", "removal", ...).</param>
    /// <param name="verify">The factor's check; called only with a reserved attempt. Returns the verdict and, when accepted, a detail to audit.</param>
    /// <param name="via">The channel (and client) the code came by, named in every audit row: "web", or "radius, client vpn".</param>
    public async Task<CodeCheck> CheckAsync(string userId, StoredPendingSignIn? pending, string action, Func<CancellationToken, Task<(CodeVerdict Verdict, string? Detail)>> verify, CancellationToken cancellationToken, string via = Validation.ValidationChannel.Web)
    {
        var actor = $"user:{userId}";
        action = $"{action} ({via})";
        if (pending is not null && !await pendingSignIns.TryReserveAttemptAsync(pending, cancellationToken))
        {
            await audit.WriteAsync(AuditEventTypes.OtpRefused, actor, userId, details: $"{action}: no attempt left on this page", cancellationToken: cancellationToken);
            return new CodeCheck(CodeCheckOutcome.AttemptsUsedUp);
        }

        if (!await budget.TryReserveAsync(userId, cancellationToken))
        {
            var until = await budget.LockedUntilAsync(userId, cancellationToken);
            await audit.WriteAsync(AuditEventTypes.OtpRefused, actor, userId, details: $"{action}: second factor locked", cancellationToken: cancellationToken);
            return new CodeCheck(CodeCheckOutcome.Locked, until);
        }

        var (verdict, detail) = await verify(cancellationToken);
        if (verdict == CodeVerdict.Accepted)
        {
            await budget.ResetAsync(userId, cancellationToken);
            await audit.WriteAsync(AuditEventTypes.OtpSucceeded, actor, userId, details: $"{action}: {detail}", cancellationToken: cancellationToken);
            return new CodeCheck(CodeCheckOutcome.Accepted);
        }

        await audit.WriteAsync(verdict == CodeVerdict.Replayed ? AuditEventTypes.OtpReplayed : AuditEventTypes.OtpFailed, actor, userId, details: action, cancellationToken: cancellationToken);
        if (await budget.LockIfExceededAsync(userId, cancellationToken) is { } lockedUntil)
        {
            await audit.WriteAsync(AuditEventTypes.OtpLocked, actor, userId, details: $"until {lockedUntil:u}", cancellationToken: cancellationToken);
            return new CodeCheck(CodeCheckOutcome.Locked, lockedUntil);
        }

        if (pending is not null && await pendingSignIns.AttemptsUsedUpAsync(pending, cancellationToken))
        {
            return new CodeCheck(CodeCheckOutcome.AttemptsUsedUp);
        }

        return new CodeCheck(verdict == CodeVerdict.Replayed ? CodeCheckOutcome.Replayed : CodeCheckOutcome.Wrong);
    }
}
