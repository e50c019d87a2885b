using Idp.Hosting;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.UserStores;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Admin;

/// <summary>
/// /admin/stores: search a directory store for people (paged, the store's first 1000 matches), whether or not they
/// have signed in yet; those with an Idp record link to their user page.
/// </summary>
public sealed class StoresModel(UserStoreCatalog catalog, IdpDbContext db, UserManager<IdpUser> users, IOptions<IdpOptions> options) : AdminPageModel(users, options)
{
    public const int PageSize = 25;

    public IReadOnlyList<string> StoreNames { get; private set; } = [];

    public string? Store { get; private set; }

    public string Query { get; private set; } = string.Empty;

    public int PageNumber { get; private set; } = 1;

    public IReadOnlyList<DirectoryPerson> People { get; private set; } = [];

    /// <summary>
    /// The Idp user name of each person on this page who has a record, by external id. Only they are linked, and by
    /// that exact name: a directory login looked up as text could name another account (a local "jsmith", an e-mail
    /// address, a realm suffix).
    /// </summary>
    public IReadOnlyDictionary<string, string> Linked { get; private set; } = new Dictionary<string, string>();

    public bool More { get; private set; }

    /// <summary>The last page the search reaches, with more matches after it.</summary>
    public bool Truncated { get; private set; }

    public string? ErrorMessage { get; private set; }

    public static int LastPage => IDirectoryStore.MaxSearchResults / PageSize;

    /// <param name="pageNumber">Not "page": Razor Pages keeps that name for the page's own route value.</param>
    public async Task OnGetAsync(string? store, string? q, int pageNumber, CancellationToken cancellationToken)
    {
        StoreNames = catalog.DirectoryStores.Select(s => s.Name).ToList();
        Query = (q ?? string.Empty).Trim();
        PageNumber = Math.Clamp(pageNumber, 1, LastPage);
        if (string.IsNullOrEmpty(store))
        {
            return;
        }

        if (catalog.DirectoryStores.FirstOrDefault(s => string.Equals(s.Name, store, StringComparison.OrdinalIgnoreCase)) is not { } directory)
        {
            ErrorMessage = $"No directory store '{store}'.";
            return;
        }

        Store = directory.Name;
        if (Query.Length > 256)
        {
            ErrorMessage = "The search text is too long (at most 256 characters).";
            return;
        }

        try
        {
            var found = await directory.SearchAsync(Query, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
            People = found.People;
            More = found.More && PageNumber < LastPage;
            Truncated = found.More && PageNumber == LastPage;
            var ids = People.Select(p => p.ExternalId).ToList();
            Linked = await db.Users.AsNoTracking().Where(u => u.StoreName == directory.Name && ids.Contains(u.ExternalId!)).ToDictionaryAsync(u => u.ExternalId!, u => u.UserName!, cancellationToken);
        }
        catch (DirectoryUnavailableException)
        {
            ErrorMessage = $"The store {directory.Name} cannot be reached now; /readyz and 'Idp stores test {directory.Name}' say why.";
        }
    }

    /// <summary>The address of another page of the same search.</summary>
    public string PageLink(int page) => $"/admin/stores?store={Uri.EscapeDataString(Store ?? string.Empty)}&q={Uri.EscapeDataString(Query)}&pageNumber={page}";
}
