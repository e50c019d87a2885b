using Idp.Accounts;
using Idp.Hosting;
using Idp.Persistence.Entities;

namespace Idp.UserStores;

/// <summary>
/// Finds the account behind a typed login: the realm's stores are asked in order and the first that knows the login
/// answers (LinOTP's realms of resolvers). A directory person gets their local record linked on the way. A store that
/// cannot answer is skipped and named, so a later store's people still sign in while a directory is down.
/// </summary>
public sealed class AccountResolver(UserStoreCatalog catalog, UserDirectory builtIn, DirectoryAccounts accounts, ILogger<AccountResolver> logger)
{
    /// <param name="realm">A configured realm, or null for the one the login names (<c>alice@corp</c>) or the default.</param>
    public async Task<AccountResolution> ResolveAsync(string login, string? realm, CancellationToken cancellationToken)
    {
        var (name, named) = realm is null ? catalog.SplitRealm(login.Trim()) : (login.Trim(), realm);
        var unavailable = new List<string>();
        foreach (var (storeName, directory) in catalog.StoresOf(named ?? catalog.DefaultRealm))
        {
            if (directory is null)
            {
                // The built-in store: its own accounts, never a directory person's local record.
                if (await builtIn.FindByLoginAsync(name) is { StoreName: null } local)
                {
                    return new AccountResolution(local, storeName, null, null, unavailable);
                }

                continue;
            }

            DirectoryPerson? person;
            try
            {
                person = await directory.FindAsync(name, cancellationToken);
            }
            catch (DirectoryUnavailableException e)
            {
                ReportUnavailable(e);
                unavailable.Add(storeName);
                continue;
            }

            if (person is not null)
            {
                var user = await accounts.LinkAsync(person, cancellationToken);
                return new AccountResolution(user, storeName, directory, person, unavailable);
            }
        }

        return new AccountResolution(null, null, null, null, unavailable);
    }

    /// <summary>Logged, not audited: an outage would write a row per sign-in. The sign-in's own audit row names the store.</summary>
    public void ReportUnavailable(DirectoryUnavailableException e)
        => logger.LogError(EventIds.DirectoryUnavailable, e, "User store {Store} is unavailable", e.StoreName);
}
