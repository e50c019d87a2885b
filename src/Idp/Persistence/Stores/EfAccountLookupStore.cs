using System.Runtime.CompilerServices;
using Idp.Accounts;
using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Idp.Persistence.Stores;

/// <summary>The account and its second-factor document in one statement (one round trip is most of what a check costs, #13).</summary>
internal sealed class EfAccountLookupStore(IdpDbContext db) : IAccountLookupStore
{
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

    // No cancellation token: UserDirectory's callers (Identity's lookups among them) have none to give.
    public async Task<(IdpUser User, StoredDocument Document)?> FindByNameWithDocumentAsync(string normalizedUserName)
    {
        var found = await WithDocument.GetValue(db.Model, Compile)(db, normalizedUserName);
        return found is null ? null : (found.User, found.Json is null ? StoredDocument.None : new StoredDocument(found.Json, found.Version));
    }
}
