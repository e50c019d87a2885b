using Idp.Persistence.Entities;
using Idp.Persistence.Stores;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Idp.Accounts;

/// <summary>Finds people by what they type on the login page: a username, or an e-mail address.</summary>
public sealed class UserDirectory(UserManager<IdpUser> users, IAccountLookupStore accounts, SecondFactorDocumentCopies copies)
{
    public const int MaxLoginLength = 256;

    public async Task<IdpUser?> FindByLoginAsync(string? login)
    {
        var trimmed = login?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLoginLength)
        {
            return null;
        }

        return await FindByNameWithDocumentAsync(trimmed)
            ?? (trimmed.Contains('@', StringComparison.Ordinal) ? await FindByUniqueEmailAsync(trimmed) : null);
    }

    /// <summary>
    /// Identity's FindByNameAsync, with the account's second-factor document in the same round trip: whoever types a
    /// login goes on to its devices (the code page, the validation API's password‖code split), and a round trip is
    /// most of what a check costs (#13). The account is tracked as Identity's own lookup tracks it.
    /// </summary>
    private async Task<IdpUser?> FindByNameWithDocumentAsync(string userName)
    {
        var normalized = users.NormalizeName(userName);
        if (await accounts.FindByNameWithDocumentAsync(normalized) is not { } found)
        {
            return null;
        }

        copies.Keep(found.User.Id, found.Document);
        return found.User;
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
