using Idp.Persistence.Entities;

namespace Idp.Accounts;

/// <summary>
/// Two locks share ASP.NET Identity's lockout end, and must not be confused:
/// <list type="bullet">
/// <item>a <b>brute-force lock</b> (a few wrong passwords, <c>Idp:Lockout</c>) ends by itself and only makes new
/// sign-ins wait: the person's sessions and refresh tokens keep working, or anyone who knows a username could sign
/// its owner out of every app;</item>
/// <item>an <b>administrator's lock</b> (web, command line, API) lasts until unlocked, and also refuses what the
/// account already holds. It is stored as the furthest lockout end there is.</item>
/// </list>
/// </summary>
internal static class UserLockout
{
    /// <summary>What an administrator's lock stores as the lockout end.</summary>
    public static readonly DateTimeOffset AdministratorLockEnd = DateTimeOffset.MaxValue;

    /// <summary>Lockout ends from here on are an administrator's lock (a brute-force lock lasts at most 30 days).</summary>
    public static readonly DateTimeOffset AdministratorLockFrom = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Either lock: no new sign-in. (The rule UserManager applies, on our clock, for paths that build none.)</summary>
    public static bool IsLockedOut(IdpUser user, DateTimeOffset now) => user.LockoutEnabled && user.LockoutEnd is { } end && end >= now;

    /// <summary>An administrator's lock: nothing the account holds works either.</summary>
    public static bool IsLockedByAdministrator(IdpUser user) => user.LockoutEnabled && user.LockoutEnd is { } end && end >= AdministratorLockFrom;
}
