using Idp.Persistence.Entities;

namespace Idp.Accounts;

/// <summary>
/// The lockout rule ASP.NET Identity's UserManager applies (lockout enabled and its end not yet passed), for hot
/// paths that read the user without building a UserManager, and on our clock.
/// </summary>
public static class UserLockout
{
    public static bool IsLockedOut(IdpUser user, DateTimeOffset now) => user.LockoutEnabled && user.LockoutEnd is { } end && end >= now;
}
