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

    /// <summary>E-mail addresses are not unique; when two accounts share one, the address alone identifies nobody.</summary>
    private async Task<IdpUser?> FindByUniqueEmailAsync(string email)
    {
        var normalized = users.NormalizeEmail(email);
        var matches = await users.Users.Where(u => u.NormalizedEmail == normalized).Take(2).ToListAsync();
        return matches.Count == 1 ? matches[0] : null;
    }
}
