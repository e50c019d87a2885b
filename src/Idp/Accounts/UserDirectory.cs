using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Idp.Accounts;

/// <summary>Finds people by what they type on the login page: a username, or an e-mail address.</summary>
public sealed class UserDirectory(UserManager<IdpUser> users)
{
    public const int MaxLoginLength = 256;

    public async Task<IdpUser?> FindByLoginAsync(string? login)
    {
        var trimmed = login?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLoginLength)
        {
            return null;
        }

        return await users.FindByNameAsync(trimmed)
            ?? (trimmed.Contains('@', StringComparison.Ordinal) ? await FindByUniqueEmailAsync(trimmed) : null);
    }

    /// <summary>
    /// E-mail addresses are not unique; when two accounts share one, the address alone identifies nobody. (Identity's
    /// own FindByEmailAsync throws then.)
    /// </summary>
    public async Task<IdpUser?> FindByUniqueEmailAsync(string email)
        => await CountByEmailAsync(email) is (1, var user) ? user : null;

    /// <summary>How many accounts hold the address (0, 1 or 2 for "more than one"), and the one when there is one.</summary>
    public async Task<(int Count, IdpUser? User)> CountByEmailAsync(string email)
    {
        var normalized = users.NormalizeEmail(email);
        var matches = await users.Users.Where(u => u.NormalizedEmail == normalized).OrderBy(u => u.Id).Take(2).ToListAsync();
        return (matches.Count, matches.Count == 1 ? matches[0] : null);
    }
}
