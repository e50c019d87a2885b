using Idp.Accounts.SecondFactor;
using Idp.Hosting;
using Idp.Audit;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.Admin;

/// <summary>
/// What administrators do to a user, the same from /admin, the command line and /api/admin: every action checks
/// its input first (nothing changes on a refusal) and leaves one audit event naming the actor and the reason.
/// </summary>
public sealed class UserAdministration(
    UserManager<IdpUser> users,
    SecondFactorFailureBudget otpFailures,
    SecondFactorMethods methods,
    IEnumerable<ISecondFactorKeys> keys,
    Accounts.UserSessionsEnder sessionsEnder,
    Accounts.UserDirectory directory,
    UserStores.AccountResolver stores,
    UserStores.DirectoryAccounts directoryAccounts,
    IdpDbContext db,
    AuditLog audit,
    IOptions<IdpOptions> options,
    TimeProvider time)
{
    private const int MaxSearchResults = 50;

    /// <summary>A user by exact username, then e-mail address, then id, then a login of the default realm's directory stores.</summary>
    public async Task<IdpUser?> FindAsync(string? usernameOrEmail) => (await LookUpAsync(usernameOrEmail)).User;

    /// <summary>As <see cref="FindAsync"/>, with why nobody was found: an address two accounts share names neither.</summary>
    public async Task<(IdpUser? User, string? Problem)> LookUpAsync(string? usernameOrEmail)
    {
        var key = usernameOrEmail?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > 256)
        {
            return (null, NoSuchUser(key ?? string.Empty));
        }

        if (await users.FindByNameAsync(key) is { } byName)
        {
            return (byName, null);
        }

        var (count, byEmail) = await directory.CountByEmailAsync(key);
        if (count > 1)
        {
            return (null, $"More than one account has the address '{key}': give the username.");
        }

        if (byEmail is not null)
        {
            return (byEmail, null);
        }

        if (await users.FindByIdAsync(key) is { } byId)
        {
            return (byId, null);
        }

        // A directory person who never signed in has no record yet: finding them creates it, so an administrator can
        // give them a hardware token before their first sign-in.
        var resolved = await stores.ResolveAsync(key, null, CancellationToken.None);
        if (resolved.User is not null)
        {
            return (resolved.User, null);
        }

        return (null, resolved.Unavailable.Count > 0 ? $"{NoSuchUser(key)} The user store(s) {string.Join(", ", resolved.Unavailable)} cannot be reached." : NoSuchUser(key));
    }

    public static string NoSuchUser(string key) => $"No user '{(key.Length > 64 ? key[..64] + "…" : key)}'.";

    /// <summary>Users whose username or e-mail address starts with the query (case-insensitive), by username.</summary>
    public async Task<IReadOnlyList<IdpUser>> SearchAsync(string? query, CancellationToken cancellationToken)
    {
        var prefix = (query ?? string.Empty).Trim().ToUpperInvariant();
        if (prefix.Length > 256)
        {
            return [];
        }

        return await users.Users.AsNoTracking()
            .Where(u => prefix.Length == 0 || u.NormalizedUserName!.StartsWith(prefix) || u.NormalizedEmail!.StartsWith(prefix))
            .OrderBy(u => u.NormalizedUserName)
            .Take(MaxSearchResults)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceView>> DevicesAsync(IdpUser user, CancellationToken cancellationToken)
    {
        var views = new List<DeviceView>();
        foreach (var method in methods.All)
        {
            views.AddRange((await method.CredentialsAsync(user.Id, cancellationToken)).Select(c => DeviceView.From(c, method.Descriptor.Label)));
        }

        return views;
    }

    public async Task<UserOverview> OverviewAsync(IdpUser user, CancellationToken cancellationToken)
    {
        var failures = await db.OtpFailureStates.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == user.Id, cancellationToken);
        var now = time.GetUtcNow();
        var lockedUntil = user.LockoutEnabled && user.LockoutEnd is { } end && end > now ? end : (DateTimeOffset?)null;
        var otpLockedUntil = failures?.LockedUntil is { } otpEnd && otpEnd > now.UtcDateTime ? otpEnd : (DateTime?)null;
        var sessions = await db.UserSessions.CountAsync(s => s.UserId == user.Id && s.ExpiresAt > now.UtcDateTime, cancellationToken);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectUserId == user.Id).OrderByDescending(e => e.Id).Take(20).ToListAsync(cancellationToken);
        return new UserOverview(user, [.. await users.GetRolesAsync(user)], await DevicesAsync(user, cancellationToken), lockedUntil, failures?.Failures ?? 0, otpLockedUntil, sessions, events);
    }

    public async Task<AdminOutcome> RemoveDeviceAsync(IdpUser user, string? idOrName, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            return AdminOutcome.Invalid("Name the device to remove (its id or name).");
        }

        if (AdminReasons.Check(reason, required: true) is { } refused)
        {
            return refused;
        }

        // By id first, then by name (names are unique per user, compared without case as LemonLDAP::NG does).
        var wanted = idOrName.Trim();
        var all = await methods.CredentialsAsync(user.Id, cancellationToken);
        var credential = all.FirstOrDefault(c => c.Id == wanted) ?? all.FirstOrDefault(c => string.Equals(c.Name, wanted, StringComparison.OrdinalIgnoreCase));
        if (credential is null || await methods.OwnerAsync(user.Id, credential.Id, cancellationToken) is not { } owner)
        {
            return AdminOutcome.NoSuchDevice(wanted);
        }

        var removal = await owner.RemoveAsync(user.Id, credential.Id, await OwnLastRuleAsync(user, actor, owner, cancellationToken), cancellationToken);
        switch (removal.Outcome)
        {
            case CredentialRemovalOutcome.Removed:
                await audit.WriteAsync(AuditEventTypes.DeviceRemoved, actor.AuditName, user.Id, details: $"device {credential.Id} \"{removal.Name}\" removed by an administrator; reason: {reason!.Trim()}", cancellationToken: cancellationToken);
                var ended = await EndSessionsAfterRemovalAsync(user.Id, actor, cancellationToken);
                return AdminOutcome.Done($"Removed the device \"{removal.Name}\" of '{user.UserName}'.{ended}");
            case CredentialRemovalOutcome.Refused:
                return OwnLastDevice();
            case CredentialRemovalOutcome.Managed:
                return AdminOutcome.Conflict($"\"{removal.Name}\" is a hardware token of the pool: unassign or delete it there (tokens unassign, tokens delete).");
            case CredentialRemovalOutcome.NotFound:
                return AdminOutcome.NoSuchDevice(wanted);
            default:
                return AdminOutcome.Conflict("The user's devices kept changing meanwhile; nothing was removed. Try again.");
        }
    }

    public async Task<AdminOutcome> RemoveAllDevicesAsync(IdpUser user, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: true) is { } refused)
        {
            return refused;
        }

        var all = await methods.CredentialsAsync(user.Id, cancellationToken);
        if (all.Count == 0)
        {
            return AdminOutcome.Done($"'{user.UserName}' has no device; nothing to remove.");
        }

        if (actor.UserId == user.Id)
        {
            return OwnLastDevice();
        }

        var removed = new List<string>();
        var managed = new List<string>();
        foreach (var method in methods.All)
        {
            foreach (var credential in await method.CredentialsAsync(user.Id, cancellationToken))
            {
                var outcome = (await method.RemoveAsync(user.Id, credential.Id, _ => true, cancellationToken)).Outcome;
                (outcome == CredentialRemovalOutcome.Managed ? managed : outcome == CredentialRemovalOutcome.Removed ? removed : null)?.Add($"{credential.Id} \"{credential.Name}\"");
            }
        }

        await audit.WriteAsync(AuditEventTypes.DeviceRemoved, actor.AuditName, user.Id, details: $"all devices removed by an administrator ({string.Join(", ", removed)}){(managed.Count > 0 ? $", hardware tokens kept ({string.Join(", ", managed)})" : string.Empty)}; reason: {reason!.Trim()}", cancellationToken: cancellationToken);
        var ended = await EndSessionsAfterRemovalAsync(user.Id, actor, cancellationToken);
        var kept = managed.Count > 0 ? $" Kept {managed.Count} hardware token(s) ({string.Join(", ", managed)}): unassign or delete them in the pool." : string.Empty;
        return AdminOutcome.Done($"Removed {removed.Count} device(s) of '{user.UserName}'.{kept}{ended}");
    }

    /// <summary>
    /// Registers a credential from a key an administrator gives (LemonLDAP::NG's
    /// <c>POST /api/v1/secondFactor/{uid}/type/{type}</c>), through the kind that takes keys of <paramref name="type"/>
    /// (the only one when null). The factor encrypts the key before it is stored.
    /// </summary>
    public async Task<AdminOutcome> AddKeyAsync(IdpUser user, string? type, string? name, string? key, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: false) is { } refused)
        {
            return refused;
        }

        var kinds = keys.ToList();
        var kind = type is null && kinds.Count == 1 ? kinds[0] : kinds.FirstOrDefault(k => string.Equals(k.Type, type, StringComparison.OrdinalIgnoreCase));
        if (kind is null)
        {
            return AdminOutcome.Invalid($"Only these types of device can be added here: {string.Join(", ", kinds.Select(k => $"\"{k.Type}\""))}.");
        }

        var added = await kind.AddAsync(user.Id, name, key, cancellationToken);
        if (added.CredentialId is not { } id)
        {
            return added.Conflict ? AdminOutcome.Conflict($"'{user.UserName}': {added.Problem}") : AdminOutcome.Invalid(added.Problem!);
        }

        await audit.WriteAsync(AuditEventTypes.DeviceAdded, actor.AuditName, user.Id, details: $"device {id} \"{name!.Trim()}\" added by an administrator{AdminReasons.Suffix(reason)}", cancellationToken: cancellationToken);
        return AdminOutcome.Done(id);
    }

    public async Task<AdminOutcome> ClearOtpLockAsync(IdpUser user, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: false) is { } refused)
        {
            return refused;
        }

        await otpFailures.ClearAsync(user.Id, cancellationToken);
        await audit.WriteAsync(AuditEventTypes.OtpUnlocked, actor.AuditName, user.Id, details: $"second-factor lock and wrong-code count cleared{AdminReasons.Suffix(reason)}", cancellationToken: cancellationToken);
        return AdminOutcome.Done($"Cleared the second-factor lock of '{user.UserName}'.");
    }

    /// <summary>Locks the account until unlocked, and ends its sessions (a lock that left sessions alive would not lock anyone out).</summary>
    public async Task<AdminOutcome> LockAsync(IdpUser user, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: true) is { } refused)
        {
            return refused;
        }

        if (actor.UserId == user.Id)
        {
            return AdminOutcome.Conflict("You cannot lock your own account.");
        }

        if ((Failure(await users.SetLockoutEnabledAsync(user, true)) ?? Failure(await users.SetLockoutEndDateAsync(user, Accounts.UserLockout.AdministratorLockEnd))) is { } failed)
        {
            return failed;
        }

        await audit.WriteAsync(AuditEventTypes.AccountLocked, actor.AuditName, user.Id, details: $"account locked; reason: {reason!.Trim()}", cancellationToken: cancellationToken);
        var (sessions, grants) = await EndAllAsync(user, cancellationToken);
        await audit.WriteAsync(AuditEventTypes.SessionsEnded, actor.AuditName, user.Id, details: $"{sessions} session(s) ended, {grants} grant(s) revoked: account locked", cancellationToken: cancellationToken);
        return AdminOutcome.Done($"Locked '{user.UserName}' and ended {sessions} session(s).");
    }

    /// <summary>Flushes what Idp:StoreCache remembers of a directory person: the next sign-in asks the directory afresh.</summary>
    public async Task<AdminOutcome> FlushDirectoryCacheAsync(IdpUser user, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: false) is { } refused)
        {
            return refused;
        }

        if (user.StoreName is null || !await directoryAccounts.ForgetAsync(user.Id, cancellationToken))
        {
            return AdminOutcome.Conflict($"'{user.UserName}' comes from the built-in store: nothing is cached.");
        }

        await audit.WriteAsync(AuditEventTypes.StoreCacheFlushed, actor.AuditName, user.Id, details: $"cached directory lookups of {user.StoreName} flushed{AdminReasons.Suffix(reason)}", cancellationToken: cancellationToken);
        return AdminOutcome.Done($"The next sign-in of '{user.UserName}' asks the user store {user.StoreName} afresh.");
    }

    public async Task<AdminOutcome> UnlockAsync(IdpUser user, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: false) is { } refused)
        {
            return refused;
        }

        if ((Failure(await users.SetLockoutEndDateAsync(user, null)) ?? Failure(await users.ResetAccessFailedCountAsync(user))) is { } failed)
        {
            return failed;
        }

        await audit.WriteAsync(AuditEventTypes.AccountUnlocked, actor.AuditName, user.Id, details: $"account unlocked{AdminReasons.Suffix(reason)}", cancellationToken: cancellationToken);
        return AdminOutcome.Done($"Unlocked '{user.UserName}'.");
    }

    public async Task<AdminOutcome> EndSessionsAsync(IdpUser user, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: true) is { } refused)
        {
            return refused;
        }

        var (sessions, grants) = await EndAllAsync(user, cancellationToken);
        await audit.WriteAsync(AuditEventTypes.SessionsEnded, actor.AuditName, user.Id, details: $"{sessions} session(s) ended, {grants} grant(s) revoked; reason: {reason!.Trim()}", cancellationToken: cancellationToken);
        return AdminOutcome.Done($"Ended {sessions} session(s) of '{user.UserName}' and revoked {grants} grant(s).");
    }

    /// <summary>
    /// The user's devices as a LemonLDAP::NG <c>_2fDevices</c> array. Without <paramref name="includeSecrets"/> the
    /// keys are left out; with it they are decrypted, which needs the secret key that encrypted them.
    /// </summary>
    public Task<(string? Json, string? Error)> ExportAsync(IdpUser user, bool includeSecrets, CancellationToken cancellationToken)
        => keys.FirstOrDefault() is { } kind ? kind.ExportAsync(user.Id, includeSecrets, cancellationToken) : Task.FromResult<(string?, string?)>(("[]", null));

    /// <summary>An Identity update that did not take: said, never reported as done.</summary>
    private static AdminOutcome? Failure(IdentityResult result)
        => result.Succeeded ? null : AdminOutcome.Conflict($"The account could not be updated: {string.Join(" ", result.Errors.Select(e => e.Description))}");


    /// <summary>An administrator may not remove the last credential that lets them pass the second factor /admin demands.</summary>
    private async Task<Func<IReadOnlyList<SecondFactorCredential>, bool>> OwnLastRuleAsync(IdpUser user, AdminActor actor, ISecondFactorMethod owner, CancellationToken cancellationToken)
    {
        if (actor.UserId != user.Id)
        {
            return _ => true;
        }

        var now = time.GetUtcNow();
        var otherKinds = (await methods.CredentialsAsync(user.Id, cancellationToken)).Count(c => c.Kind != owner.Descriptor.Kind && c.IsUsable(now));
        return remaining => otherKinds > 0 || remaining.Any(c => c.IsUsable(time.GetUtcNow()));
    }

    private static AdminOutcome OwnLastDevice()
        => AdminOutcome.Conflict("You cannot remove your own last device: you would no longer pass the second factor /admin needs. Register another one at /2fregisters first.");

    /// <summary>
    /// After a device of the user was removed, or a hardware token of theirs taken back or disabled: their sessions
    /// end and their grants are revoked (<c>Idp:Admin:EndSessionsOnDeviceRemoval</c>), since whoever holds the device
    /// may be signed in with it. Says what it did, for the administrator.
    /// </summary>
    internal async Task<string> EndSessionsAfterRemovalAsync(string userId, AdminActor actor, CancellationToken cancellationToken, string what = "a device was removed")
    {
        if (!options.Value.Admin.EndSessionsOnDeviceRemoval)
        {
            return string.Empty;
        }

        var (sessions, grants) = await sessionsEnder.EndAsync(userId, keepSessionId: null, cancellationToken);
        await audit.WriteAsync(AuditEventTypes.SessionsEnded, actor.AuditName, userId, details: $"{sessions} session(s) ended, {grants} grant(s) revoked: {what} (Idp:Admin:EndSessionsOnDeviceRemoval)", cancellationToken: cancellationToken);
        return $" Ended {sessions} session(s) and revoked {grants} grant(s).";
    }

    /// <summary>Every session of the user ends and their grants are revoked (<see cref="UserSessionsEnder"/>).</summary>
    private Task<(int Sessions, int Grants)> EndAllAsync(IdpUser user, CancellationToken cancellationToken)
        => sessionsEnder.EndAsync(user.Id, keepSessionId: null, cancellationToken);
}
