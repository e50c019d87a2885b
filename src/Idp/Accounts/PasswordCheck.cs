using Idp.Audit;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts;

/// <summary>
/// A password checked against the account with the lockout rules of the sign-in page (Identity's failed-attempt
/// counter, an administrator's lock), whichever channel asks: the sign-in page, the validation API or RADIUS.
/// It starts no session.
/// </summary>
public sealed class PasswordCheck(TimeProvider time, UserDirectory directory, SignInManager<IdpUser> signInManager, IPasswordHasher<IdpUser> hasher, IOptions<IdpOptions> options, AuditLog audit, ILogger<PasswordCheck> logger)
{
    /// <summary>
    /// The one answer for an unknown account, a wrong password and a locked account: telling them apart would tell
    /// an outsider which usernames exist and which are under attack.
    /// </summary>
    public const string WrongCredentials = "The username or password is incorrect, or the account is locked for a while after too many failed sign-ins.";

    // Verifying against this hash costs what a real verification costs, so an unknown user answers no faster.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<IdpUser>().HashPassword(new IdpUser(), Guid.NewGuid().ToString()));

    /// <param name="via">The channel and client, for the audit trail ("radius, client vpn"); null for the sign-in page.</param>
    public async Task<(IdpUser? User, string? Problem)> CheckAsync(string? login, string? password, string? via, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(login))
        {
            return (null, "Enter your username or e-mail address.");
        }

        if (string.IsNullOrEmpty(password))
        {
            return (null, "Enter your password.");
        }

        if (login.Length > UserDirectory.MaxLoginLength || password.Length > options.Value.Password.MaxLength)
        {
            return (null, WrongCredentials);
        }

        var suffix = via is null ? string.Empty : $" ({via})";
        cancellationToken.ThrowIfCancellationRequested();
        var user = await directory.FindByLoginAsync(login);
        if (user is null)
        {
            hasher.VerifyHashedPassword(new IdpUser(), DummyHash.Value, password);
            logger.LogInformation(EventIds.SignInFailed, "Sign-in failed: unknown user");
            await audit.WriteAsync(AuditEventTypes.SignInFailed, "anonymous", details: "unknown user" + suffix, cancellationToken: cancellationToken);
            return (null, WrongCredentials);
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
            var why = UserLockout.IsLockedByAdministrator(user) ? "account locked by an administrator" : "account locked after failed sign-ins";
            await audit.WriteAsync(AuditEventTypes.SignInLockedOut, $"user:{user.Id}", user.Id, details: why + suffix, cancellationToken: cancellationToken);
            return (null, WrongCredentials);
        }

        if (!result.Succeeded)
        {
            logger.LogInformation(EventIds.SignInFailed, "Sign-in failed: wrong password for {UserId}", user.Id);
            await audit.WriteAsync(AuditEventTypes.SignInFailed, $"user:{user.Id}", user.Id, details: "wrong password" + suffix, cancellationToken: cancellationToken);
            return (null, WrongCredentials);
        }

        return (user, null);
    }
}
