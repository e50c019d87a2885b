using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts;

/// <param name="HasExpiredDevices">Signed in with the password alone while the user's only devices have expired (Otp:Ttl): they are to be told.</param>
public sealed record PasswordSignInResult(bool Succeeded, string? Message, IdpUser? User = null, bool NeedsSecondFactor = false, bool HasExpiredDevices = false)
{
    public static PasswordSignInResult Failed(string message) => new(false, message);
}

/// <summary>The password step of the sign-in page: <see cref="PasswordCheck"/>, then a session or the second factor.</summary>
public sealed class PasswordSignIn(TimeProvider time, SecondFactor.SecondFactorPolicy secondFactors, PasswordCheck passwords, SignInCompletion completion, Audit.AuditLog audit, ILogger<PasswordSignIn> logger)
{
    /// <summary>
    /// The one answer for an unknown account, a wrong password and a locked account: telling them apart would tell
    /// an outsider which usernames exist and which are under attack.
    /// </summary>
    public const string WrongCredentials = PasswordCheck.WrongCredentials;

    public async Task<PasswordSignInResult> SignInAsync(HttpContext context, string? login, string? password, CancellationToken cancellationToken)
    {
        var checkedPassword = await passwords.CheckAsync(login, password, via: null, cancellationToken);
        if (checkedPassword.User is not { } user)
        {
            return PasswordSignInResult.Failed(checkedPassword.Problem!);
        }

        // Until the second factor is passed there is no session at all, only a pending sign-in (see SecondFactorSignIn).
        if (await secondFactors.RequiredAtSignInAsync(user, cancellationToken))
        {
            logger.LogInformation(EventIds.PasswordAcceptedSecondFactorNext, "Password accepted for {UserId}; second factor next", user.Id);
            await audit.WriteAsync(Audit.AuditEventTypes.SignInSucceeded, $"user:{user.Id}", user.Id, details: "password; second factor next", cancellationToken: cancellationToken);
            return new PasswordSignInResult(false, null, user, NeedsSecondFactor: true);
        }

        // What the OIDC engine reads back from the session: when and how this person authenticated (RFC 8176 amr).
        await completion.SignInAsync(context, user, [Oidc.Protocol.AuthenticationMethods.Password], time.GetUtcNow(), cancellationToken);
        logger.LogInformation(EventIds.SignInSucceeded, "Signed in {UserId}", user.Id);
        await audit.WriteAsync(Audit.AuditEventTypes.SignInSucceeded, $"user:{user.Id}", user.Id, details: "password", cancellationToken: cancellationToken);
        return new PasswordSignInResult(true, null, user, HasExpiredDevices: (await secondFactors.ExpiredDeviceNamesAsync(user.Id, cancellationToken)).Count > 0);
    }
}
