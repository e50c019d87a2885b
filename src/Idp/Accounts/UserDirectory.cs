using System.Runtime.CompilerServices;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.Persistence.Stores;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Idp.Accounts;

/// <summary>Finds people by what they type on the login page: a username, or an e-mail address.</summary>
public sealed class UserDirectory(UserManager<IdpUser> users, IdpDbContext db, SecondFactorDocumentCopies copies)
{
    public const int MaxLoginLength = 256;

    // Compiled once per model (a compiled query serves one; the test process runs SQLite and PostgreSQL side by
    // side): the lookup every check starts with skips EF's per-call translation. A plain LEFT JOIN on the document's
    // key (one row per user); a FirstOrDefault subquery here would become a ROW_NUMBER() over the whole table.
    private static readonly ConditionalWeakTable<IModel, Func<IdpDbContext, string, Task<AccountWithDocument?>>> WithDocument = [];

    private static Func<IdpDbContext, string, Task<AccountWithDocument?>> Compile(IModel model) => EF.CompileAsyncQuery(
        (IdpDbContext db, string normalized) => (
            from u in db.Users
            where u.NormalizedUserName == normalized
            join d in db.SecondFactorDocuments on u.Id equals d.UserId into documents
            from d in documents.DefaultIfEmpty()
            select new AccountWithDocument(u, d == null ? null : d.DevicesJson, d == null ? 0L : d.Version))
            .FirstOrDefault());

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
        var found = await WithDocument.GetValue(db.Model, Compile)(db, normalized);
        if (found is null)
        {
            return null;
        }

        copies.Keep(found.User.Id, found.Json is null ? StoredDocument.None : new StoredDocument(found.Json, found.Version));
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
