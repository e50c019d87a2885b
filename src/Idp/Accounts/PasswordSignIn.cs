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

/// <summary>The password step: checks input, the password and the lockout, then starts a session.</summary>
public sealed class PasswordSignIn(TimeProvider time, SecondFactor.SecondFactorPolicy secondFactors, UserDirectory directory, SignInManager<IdpUser> signInManager, SignInCompletion completion, IPasswordHasher<IdpUser> hasher, IOptions<IdpOptions> options, Audit.AuditLog audit, ILogger<PasswordSignIn> logger)
{
    /// <summary>
    /// The one answer for an unknown account, a wrong password and a locked account: telling them apart would tell
    /// an outsider which usernames exist and which are under attack.
    /// </summary>
    public const string WrongCredentials = "The username or password is incorrect, or the account is locked for a while after too many failed sign-ins.";

    // Verifying against this hash costs what a real verification costs, so an unknown user answers no faster.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<IdpUser>().HashPassword(new IdpUser(), Guid.NewGuid().ToString()));

    public async Task<PasswordSignInResult> SignInAsync(HttpContext context, string? login, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(login))
        {
            return PasswordSignInResult.Failed("Enter your username or e-mail address.");
        }

        if (string.IsNullOrEmpty(password))
        {
            return PasswordSignInResult.Failed("Enter your password.");
        }

        if (login.Length > UserDirectory.MaxLoginLength || password.Length > options.Value.Password.MaxLength)
        {
            return PasswordSignInResult.Failed(WrongCredentials);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var user = await directory.FindByLoginAsync(login);
        if (user is null)
        {
            hasher.VerifyHashedPassword(new IdpUser(), DummyHash.Value, password);
            logger.LogInformation(EventIds.SignInFailed, "Sign-in failed: unknown user");
            await audit.WriteAsync(Audit.AuditEventTypes.SignInFailed, "anonymous", details: "unknown user", cancellationToken: cancellationToken);
            return PasswordSignInResult.Failed(WrongCredentials);
        }

        // Identity answers a locked account without hashing: the dummy hash gives it the cost of the other answers.
        // Checked here, not after Identity's answer: the attempt that trips the lock has already hashed once.
        var lockedBefore = UserLockout.IsLockedOut(user, time.GetUtcNow());
        if (lockedBefore)
        {
            hasher.VerifyHashedPassword(new IdpUser(), DummyHash.Value, password);
        }

        var result = lockedBefore ? SignInResult.LockedOut : await signInManager.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            logger.LogWarning(EventIds.SignInLockedOut, "Sign-in refused: account {UserId} is locked", user.Id);
            await audit.WriteAsync(Audit.AuditEventTypes.SignInLockedOut, $"user:{user.Id}", user.Id, details: UserLockout.IsLockedByAdministrator(user) ? "account locked by an administrator" : "account locked after failed sign-ins", cancellationToken: cancellationToken);
            return PasswordSignInResult.Failed(WrongCredentials);
        }

        if (!result.Succeeded)
        {
            logger.LogInformation(EventIds.SignInFailed, "Sign-in failed: wrong password for {UserId}", user.Id);
            await audit.WriteAsync(Audit.AuditEventTypes.SignInFailed, $"user:{user.Id}", user.Id, details: "wrong password", cancellationToken: cancellationToken);
            return PasswordSignInResult.Failed(WrongCredentials);
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
