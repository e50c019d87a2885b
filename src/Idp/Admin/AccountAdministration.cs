using System.Net.Mail;
using Idp.Accounts;
using Idp.Hosting;
using Idp.Audit;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Admin;

/// <summary>
/// Creating, re-keying and deleting accounts: one place, so the command line (and any surface added later) has the
/// same checks, effects and audit event. Locking lives with the other account actions in <see cref="UserAdministration"/>.
/// </summary>
internal sealed class AccountAdministration(
    UserManager<IdpUser> users,
    UserSessionsEnder sessionsEnder,
    Tokens.TokenPool tokens,
    IdpDbContext db,
    AuditLog audit,
    IOptions<IdpOptions> options,
    TimeProvider time)
{
    public const int UserNameMaxLength = 64;

    public async Task<AdminOutcome> AddAsync(string userName, string? email, IReadOnlyCollection<string> roles, string password, AdminActor actor, CancellationToken cancellationToken)
    {
        userName = userName.Trim();
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (NameProblem(userName) is { } nameProblem)
        {
            return AdminOutcome.Invalid(nameProblem);
        }

        if (email is not null && (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email))
        {
            return AdminOutcome.Invalid($"'{email}' is not an e-mail address.");
        }

        if (roles.FirstOrDefault(r => !Roles.Known.Contains(r)) is { } unknownRole)
        {
            return AdminOutcome.Invalid($"Unknown role '{unknownRole}' (known: {string.Join(", ", Roles.Known)}).");
        }

        if (await users.FindByNameAsync(userName) is not null)
        {
            return AdminOutcome.Conflict($"User '{userName}' already exists.");
        }

        var user = new IdpUser { UserName = userName, Email = email, CreatedAt = time.GetUtcNow().UtcDateTime };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await users.CreateAsync(user, password);
        foreach (var granted in roles.Distinct(StringComparer.Ordinal))
        {
            result = result.Succeeded ? await users.AddToRoleAsync(user, granted) : result;
        }

        if (!result.Succeeded)
        {
            return AdminOutcome.Invalid(Describe(result));
        }

        await transaction.CommitAsync(cancellationToken);
        var roleText = roles.Count > 0 ? $" with role {string.Join(", ", roles)}" : string.Empty;
        await audit.WriteAsync(AuditEventTypes.AccountCreated, actor.AuditName, user.Id, details: $"account '{userName}' created{roleText}", cancellationToken: cancellationToken);
        return AdminOutcome.Done($"Created user '{userName}'{roleText}.");
    }

    /// <summary>
    /// A new password; by default (<c>Idp:Admin:EndSessionsOnPasswordChange</c>) the user's sessions end and their
    /// grants are revoked, since a password is reset because someone else may know the old one.
    /// </summary>
    public async Task<AdminOutcome> SetPasswordAsync(IdpUser user, string password, AdminActor actor, CancellationToken cancellationToken)
    {
        if (user.StoreName is { } store)
        {
            // Idp never writes to a directory, and a password kept here would never be asked for.
            return AdminOutcome.Conflict($"'{user.UserName}' comes from the user store {store}: change the password in the directory.");
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
        {
            return AdminOutcome.Invalid(Describe(result));
        }

        var ended = string.Empty;
        if (options.Value.Admin.EndSessionsOnPasswordChange)
        {
            var (sessions, grants) = await sessionsEnder.EndAsync(user.Id, keepSessionId: null, cancellationToken);
            ended = $"; {sessions} session(s) ended, {grants} grant(s) revoked";
        }

        await audit.WriteAsync(AuditEventTypes.PasswordSet, actor.AuditName, user.Id, details: $"password set{ended}", cancellationToken: cancellationToken);
        return AdminOutcome.Done($"Password of '{user.UserName}' changed{ended}.");
    }

    /// <summary>The account with its sessions, grants and devices (the rows cascade); the audit trail keeps its id.</summary>
    public async Task<AdminOutcome> DeleteAsync(IdpUser user, AdminActor actor, CancellationToken cancellationToken)
    {
        if (actor.UserId == user.Id)
        {
            return AdminOutcome.Conflict("You cannot delete your own account.");
        }

        var (sessions, grants) = await sessionsEnder.EndAsync(user.Id, keepSessionId: null, cancellationToken);
        // Their hardware tokens go back to the pool with their counters, in the transaction that deletes the account
        // (and its devices): both happen, or neither.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (returned, contended) = await tokens.TakeBackAllAsync(user.Id, cancellationToken);
        if (contended)
        {
            return AdminOutcome.Conflict($"The devices of '{user.UserName}' kept changing meanwhile; nothing was deleted. Try again.");
        }

        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            return AdminOutcome.Invalid(Describe(result));
        }

        await transaction.CommitAsync(cancellationToken);

        await audit.WriteAsync(AuditEventTypes.AccountDeleted, actor.AuditName, user.Id, details: $"account '{user.UserName}' deleted; {sessions} session(s) ended, {grants} grant(s) revoked, {returned} hardware token(s) back in the pool", cancellationToken: cancellationToken);
        return AdminOutcome.Done($"Deleted '{user.UserName}'.");
    }

    private string? NameProblem(string userName)
    {
        if (userName.Length == 0)
        {
            return "The username is empty.";
        }

        if (userName.Length > UserNameMaxLength)
        {
            return $"The username must be at most {UserNameMaxLength} characters.";
        }

        return userName.Any(c => !users.Options.User.AllowedUserNameCharacters.Contains(c))
            ? $"The username '{userName}' may contain only letters, digits and - . _ @ +."
            : null;
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
