namespace Idp.Oidc.Tokens;

/// <summary>
/// The columns of an account that tokens and userinfo need, read by hand-written SQL. A read-only record, never a
/// half-filled entity: nothing read this way can be saved back over the account (its password hash, its stamps).
/// </summary>
public sealed record TokenUser(string Id, string SubjectId, string? UserName, string? Email, bool EmailConfirmed, bool LockoutEnabled = false, DateTimeOffset? LockoutEnd = null)
{
    /// <summary>A directory's display name (the <c>name</c> claim); null: the username.</summary>
    public string? DisplayName { get; init; }

    /// <summary>An administrator's lock (<see cref="Accounts.UserLockout"/>): no token is issued while it holds.</summary>
    public bool IsLockedByAdministrator => LockoutEnabled && LockoutEnd is { } end && end >= Accounts.UserLockout.AdministratorLockFrom;
}
