using Idp.Oidc.Authorize;
using Idp.Oidc.Protocol;
using Idp.Otp.Options;
using Idp.SecondFactors;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// The second step of signing in. There is no session until the code is right; a pending sign-in, whose purpose the
/// server sets here, says what the step may lead to. Every code goes through <see cref="SecondFactorAttempts"/>, and
/// the sign-in completes in <see cref="SignInCompletion"/> (a new session id; pwd, otp and mfa, RFC 8176).
/// </summary>
public sealed class SecondFactorSignIn(
    PendingSignIns pendingSignIns,
    SecondFactorPolicy policy,
    SecondFactorAttempts attempts,
    SecondFactorMethods methods,
    SignInCompletion completion,
    UserManager<IdpUser> users,
    IOptionsMonitor<OtpOptions> otp,
    TimeProvider time)
{
    /// <summary>After a right password: the code page, the proof of an expired device, or (no device at all) enrollment.</summary>
    public Task<SecondFactorOutcome> BeginAsync(HttpContext context, IdpUser user, string returnUrl, CancellationToken cancellationToken)
        => BeginAsync(context, new PendingSignInStart(user.Id, returnUrl, AuthenticationMethods.Password, PendingSignInPurpose.SignIn), cancellationToken);

    /// <summary>
    /// Step-up of a password-only session: the code, not the password again. It keeps the session's auth_time (a
    /// code is not a fresh password, OIDC Core §3.1.2.1 prompt=login) and replaces the session with a new one.
    /// </summary>
    public Task<SecondFactorOutcome> BeginStepUpAsync(HttpContext context, IdpUser user, SessionInfo session, string returnUrl, CancellationToken cancellationToken)
        => BeginAsync(context, new PendingSignInStart(user.Id, returnUrl, string.Join(' ', session.Amr), PendingSignInPurpose.SignIn, session.SessionId, session.AuthTime), cancellationToken);

    /// <summary>/2fregisters, after a fresh code: the enrollment page for another device; the session goes on unchanged.</summary>
    public async Task<string> BeginAddDeviceAsync(HttpContext context, SessionInfo session, CancellationToken cancellationToken)
    {
        await pendingSignIns.CreateAsync(context, new PendingSignInStart(session.UserId, AccountRoutes.Registers, string.Join(' ', session.Amr), PendingSignInPurpose.AddDevice, session.SessionId, session.AuthTime), cancellationToken);
        return AccountRoutes.Enroll;
    }

    /// <summary>/2fregisters, after a fresh code (Otp:UserCanChangeKey): a new key for that device through the enrollment page.</summary>
    public async Task<string> BeginKeyChangeAsync(HttpContext context, SessionInfo session, string deviceId, CancellationToken cancellationToken)
    {
        await pendingSignIns.CreateAsync(context, new PendingSignInStart(session.UserId, AccountRoutes.Registers, string.Join(' ', session.Amr), PendingSignInPurpose.ChangeKey, session.SessionId, session.AuthTime, deviceId), cancellationToken);
        return AccountRoutes.Enroll;
    }

    /// <summary>The code page: a code from a usable device signs in; for <see cref="PendingSignInPurpose.ProveExpired"/>, one from an expired device opens enrollment.</summary>
    public async Task<SecondFactorOutcome> VerifyAsync(HttpContext context, StoredPendingSignIn pending, string? code, string? deviceId, CancellationToken cancellationToken)
    {
        if (pending.Purpose is not (PendingSignInPurpose.SignIn or PendingSignInPurpose.ProveExpired))
        {
            return SecondFactorOutcome.Continue(AccountRoutes.Enroll);
        }

        var proving = pending.Purpose == PendingSignInPurpose.ProveExpired;
        var now = time.GetUtcNow();
        Func<SecondFactorCredential, bool> eligible = proving ? c => methods.IsExpiredWithinGrace(c, now) : c => c.IsUsable(now);
        ISecondFactorMethod? accepting = null;
        var check = await attempts.CheckAsync(pending.UserId, pending, proving ? "expired device shown for re-enrollment" : "sign-in", async ct =>
        {
            var (verdict, method, credential) = await methods.VerifyAsync(pending.UserId, code, deviceId, eligible, ct);
            accepting = method;
            return (SecondFactorMethods.Verdict(verdict), credential is null ? null : $"{method!.Descriptor.Kind} {credential}");
        }, cancellationToken);

        switch (check.Outcome)
        {
            case CodeCheckOutcome.Accepted when proving:
                return await pendingSignIns.TryAdvanceAsync(pending, PendingSignInPurpose.ProveExpired, PendingSignInPurpose.ForcedEnrollment, cancellationToken)
                    ? SecondFactorOutcome.Continue(AccountRoutes.Enroll)
                    : await RestartAsync(context, pending, "This sign-in was already completed or has expired. Sign in again.", cancellationToken);
            case CodeCheckOutcome.Accepted:
                return await CompleteAsync(context, pending, accepting!.Descriptor, cancellationToken);
            case CodeCheckOutcome.Replayed:
                return SecondFactorOutcome.Retry("That code was already used. Wait for the next code and enter it.");
            case CodeCheckOutcome.Wrong:
                return SecondFactorOutcome.Retry($"That code is not right. Enter the {otp.CurrentValue.Digits}-digit code your app shows now.");
            default:
                return await RefusedAsync(context, pending, check, cancellationToken);
        }
    }

    /// <summary>The sign-in completes for the pending user: a new session that says which factor was passed, and mfa when its level is a second factor's.</summary>
    public Task<SecondFactorOutcome> CompleteAsync(HttpContext context, StoredPendingSignIn pending, SecondFactorDescriptor kind, CancellationToken cancellationToken)
        => CompleteAsync(context, pending, kind.Level >= 2 ? [.. kind.Amr, AuthenticationMethods.MultiFactor] : kind.Amr, cancellationToken);

    /// <param name="proven">What the passed factor proves (RFC 8176), mfa included when it raises the level.</param>
    public async Task<SecondFactorOutcome> CompleteAsync(HttpContext context, StoredPendingSignIn pending, IReadOnlyList<string> proven, CancellationToken cancellationToken)
    {
        // A second tab finishing the same sign-in gets nothing: the pending state is consumed once.
        if (!await pendingSignIns.CompleteAsync(context, pending, cancellationToken) || await users.FindByIdAsync(pending.UserId) is not { } user)
        {
            return SecondFactorOutcome.Restart("This sign-in was already completed or has expired. Sign in again.");
        }

        // Step-up continues a session: it must still be this browser's, unchanged (not ended by an administrator).
        if (pending.SessionId is not null && (SessionInfo.From(context.User) is not { } current || current.SessionId != pending.SessionId || current.UserId != pending.UserId))
        {
            return SecondFactorOutcome.Restart("Your session ended meanwhile. Sign in again.");
        }

        var amr = pending.PriorAmr.Split(' ', StringSplitOptions.RemoveEmptyEntries).Concat(proven);
        var authTime = pending.AuthTime is { } kept ? new DateTimeOffset(DateTime.SpecifyKind(kept, DateTimeKind.Utc)) : time.GetUtcNow();
        await completion.SignInAsync(context, user, amr, authTime, cancellationToken);
        return SecondFactorOutcome.Continue(pending.ReturnUrl);
    }

    /// <summary>A refused attempt (locked, or the page's attempts spent) ends this pending sign-in.</summary>
    public async Task<SecondFactorOutcome> RefusedAsync(HttpContext context, StoredPendingSignIn pending, CodeCheck check, CancellationToken cancellationToken)
        => await RestartAsync(context, pending, check.Outcome == CodeCheckOutcome.Locked && check.LockedUntil is { } until
            ? LockedMessage(until)
            : "Too many wrong codes. Sign in again.", cancellationToken);

    public static string LockedMessage(DateTime until)
        => $"Too many wrong codes: your second factor is locked until {until:HH:mm} UTC. Try again then, or ask an administrator.";

    private async Task<SecondFactorOutcome> BeginAsync(HttpContext context, PendingSignInStart start, CancellationToken cancellationToken)
    {
        var standing = await policy.StandingAsync(start.UserId, cancellationToken);
        PendingSignInPurpose? purpose = standing switch
        {
            { Usable: > 0 } => PendingSignInPurpose.SignIn,
            { ExpiredWithinGrace: > 0 } => PendingSignInPurpose.ProveExpired,
            // The password alone enrolls only a user who never had a device (LemonLDAP::NG sfRequired, Keycloak
            // required action for one-time codes); see the README's security notes.
            { Registered: 0 } => PendingSignInPurpose.ForcedEnrollment,
            _ => null,
        };
        if (purpose is null && standing.Disabled > 0)
        {
            return SecondFactorOutcome.Restart("Your second factor is disabled. Ask an administrator.");
        }

        if (purpose is not { } chosen)
        {
            return SecondFactorOutcome.Restart("Your devices expired too long ago to set up a new one yourself. Ask an administrator to remove them; then sign in again to register a new device.");
        }

        await pendingSignIns.CreateAsync(context, start with { Purpose = chosen }, cancellationToken);
        return SecondFactorOutcome.Continue(chosen == PendingSignInPurpose.ForcedEnrollment ? AccountRoutes.Enroll : AccountRoutes.Code);
    }

    private async Task<SecondFactorOutcome> RestartAsync(HttpContext context, StoredPendingSignIn pending, string message, CancellationToken cancellationToken)
    {
        await pendingSignIns.CompleteAsync(context, pending, cancellationToken);
        return SecondFactorOutcome.Restart(message);
    }
}
