using Idp.Audit;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Idp.UserStores;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts;

/// <summary>
/// A password checked against the account with the lockout rules of the sign-in page (Identity's failed-attempt
/// counter, an administrator's lock), whichever channel asks: the sign-in page, the validation API or RADIUS.
/// The login is resolved through the realm's user stores (<see cref="AccountResolver"/>): a built-in account's hash
/// is verified here, a directory person's password by a bind to their directory. It starts no session.
/// </summary>
public sealed class PasswordCheck(TimeProvider time, AccountResolver accounts, Persistence.Stores.SecondFactorDocumentCopies copies, PasswordFailures failures, SignInManager<IdpUser> signInManager, IPasswordHasher<IdpUser> hasher, DummyPasswordHash dummyHash, IOptions<IdpOptions> options, AuditLog audit, ILogger<PasswordCheck> logger)
{
    /// <summary>
    /// The one answer for an unknown account, a wrong password and a locked account: telling them apart would tell
    /// an outsider which usernames exist and which are under attack.
    /// </summary>
    public const string WrongCredentials = "The username or password is incorrect, or the account is locked for a while after too many failed sign-ins.";

    /// <summary>A directory store could not be asked: the person is told to come back, not that the password is wrong.</summary>
    public const string DirectoryUnavailable = "Your account's directory cannot be reached right now. Please try again in a few minutes.";

    /// <param name="via">The channel and client, for the audit trail ("radius, client vpn"); null for the sign-in page.</param>
    /// <param name="realm">A configured realm (the validation API's <c>realm</c>), or null: the login's <c>@realm</c> or the default realm.</param>
    /// <param name="resolved">
    /// The resolution of this very login and realm the caller already made in this request (the validation API needs
    /// the user's code length first), so it is not looked up twice; null to resolve here. One of another login or
    /// realm is refused (<see cref="ArgumentException"/>).
    /// </param>
    public async Task<(IdpUser? User, string? Problem)> CheckAsync(string? login, string? password, string? via, CancellationToken cancellationToken, string? realm = null, AccountResolution? resolved = null)
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

        cancellationToken.ThrowIfCancellationRequested();
        if (resolved is not null && !resolved.IsOf(login, realm))
        {
            // A caller's bug, never a user's input: checking this password against another login's account.
            throw new ArgumentException("The resolution given is not of this login and realm.", nameof(resolved));
        }

        resolved ??= await accounts.ResolveAsync(login, realm, cancellationToken);
        var suffix = Suffix(via, resolved);
        var user = resolved.User;
        if (user is null)
        {
            hasher.VerifyHashedPassword(new IdpUser(), dummyHash.Value, password);
            logger.LogInformation(EventIds.SignInFailed, "Sign-in failed: unknown user");
            await audit.WriteAsync(AuditEventTypes.SignInFailed, "anonymous", details: "unknown user" + suffix, cancellationToken: cancellationToken);
            return (null, resolved.Unavailable.Count > 0 ? DirectoryUnavailable : WrongCredentials);
        }

        // Identity answers a locked account without hashing: the dummy hash gives it the cost of the other answers.
        // Checked here, not after Identity's answer: the attempt that trips the lock has already hashed once.
        var lockedBefore = UserLockout.IsLockedOut(user, time.GetUtcNow());
        if (lockedBefore)
        {
            hasher.VerifyHashedPassword(new IdpUser(), dummyHash.Value, password);
        }

        var result = lockedBefore ? SignInResult.LockedOut
            : resolved.Directory is not null ? await DirectoryPasswordAsync(resolved, login, realm, password, cancellationToken)
            : await LocalPasswordAsync(user, password, cancellationToken);
        if (resolved.Directory is { HashesPasswords: false } && !lockedBefore && result is { Succeeded: false })
        {
            // A directory refuses a password in milliseconds where an unknown login costs a hash: without this one,
            // the time of a wrong password would tell an outsider which logins the directory knows. (A SQL store has
            // just verified the row's own hash, which costs about as much.)
            hasher.VerifyHashedPassword(new IdpUser(), dummyHash.Value, password);
        }

        if (result is null)
        {
            await audit.WriteAsync(AuditEventTypes.SignInFailed, $"user:{user.Id}", user.Id, details: "directory unavailable" + suffix, cancellationToken: cancellationToken);
            return (null, DirectoryUnavailable);
        }

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

        // What follows (is a second factor due? may Passthru let the password alone in?) must not conclude "no second
        // factor" from devices read with the account, before the hash (see SecondFactorPolicy).
        copies.PasswordChecked(user.Id);
        return (user, null);
    }

    /// <summary>
    /// A built-in account's password, with its attempt reserved before the hash (<see cref="PasswordFailures"/>):
    /// Identity's own lockout counts a failure only after hashing, so a parallel burst would all be checked.
    /// </summary>
    private async Task<SignInResult> LocalPasswordAsync(IdpUser user, string password, CancellationToken cancellationToken)
    {
        if (!await failures.TryReserveAsync(user, cancellationToken))
        {
            // Being locked by a concurrent failure: the same cost as the other answers.
            hasher.VerifyHashedPassword(new IdpUser(), dummyHash.Value, password);
            return SignInResult.LockedOut;
        }

        // From here the reserved attempt is settled whatever the client does (see DirectoryPasswordAsync).
        // The hash alone (UserManager), not SignInManager's check: that one also resets Identity's count by saving the
        // account it holds, which a concurrent failure may have changed since, and then answers "failed".
        var settled = CancellationToken.None;
        if (!await signInManager.CanSignInAsync(user))
        {
            await failures.ReleaseAsync(user, settled);
            return SignInResult.NotAllowed;
        }

        if (await signInManager.UserManager.CheckPasswordAsync(user, password))
        {
            await failures.ResetAsync(user, settled);
            return SignInResult.Success;
        }

        return await failures.LockIfSpentAsync(user, settled) ? SignInResult.LockedOut : SignInResult.Failed;
    }

    /// <summary>The directory's answer, with Idp's lockout counted on the local record; null when the directory cannot answer.</summary>
    private async Task<SignInResult?> DirectoryPasswordAsync(AccountResolution resolved, string login, string? realm, string password, CancellationToken cancellationToken)
    {
        var user = resolved.User!;
        if (!await failures.TryReserveAsync(user, cancellationToken))
        {
            return SignInResult.LockedOut;
        }

        // From here the reserved attempt is settled whatever the client does: a request cancelled by a disconnect must
        // not leave the count at its limit with no lock set, which would lock the person until an administrator acts.
        var settled = CancellationToken.None;
        var right = await BindAsync(resolved.Directory!, resolved.Person!, password, resolved.FromCache, settled);
        if (right == false && resolved.FromCache
            && await accounts.RefreshAsync(resolved, login, realm, settled) is { } fresh
            && fresh.Person!.DistinguishedName != resolved.Person!.DistinguishedName)
        {
            // The cached DN no longer names the person (a rename or a move): their password is tried at the new DN.
            // At the same DN the refusal stands: asking twice would count twice in the directory's own lockout.
            right = await BindAsync(fresh.Directory!, fresh.Person, password, confirmId: false, settled);
        }

        switch (right)
        {
            case null:
                await failures.ReleaseAsync(user, settled);
                return null;
            case true:
                await failures.ResetAsync(user, settled);
                return SignInResult.Success;
            default:
                return await failures.LockIfSpentAsync(user, settled) ? SignInResult.LockedOut : SignInResult.Failed;
        }
    }

    private async Task<bool?> BindAsync(IDirectoryStore store, DirectoryPerson person, string password, bool confirmId, CancellationToken cancellationToken)
    {
        try
        {
            return await store.CheckPasswordAsync(person, password, confirmId, cancellationToken);
        }
        catch (DirectoryUnavailableException e)
        {
            accounts.ReportUnavailable(e);
            return null;
        }
    }

    /// <summary>The channel, and the store when it is not the only one, for the audit trail.</summary>
    private static string Suffix(string? via, AccountResolution resolved)
    {
        var parts = new List<string>();
        if (via is not null)
        {
            parts.Add(via);
        }

        if (resolved.StoreName is not null && (resolved.Directory is not null || resolved.Unavailable.Count > 0))
        {
            parts.Add($"store {resolved.StoreName}");
        }

        if (resolved.Unavailable.Count > 0)
        {
            parts.Add($"unavailable: {string.Join(", ", resolved.Unavailable)}");
        }

        return parts.Count == 0 ? string.Empty : $" ({string.Join("; ", parts)})";
    }
}
