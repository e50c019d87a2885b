using Idp.Accounts;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace Idp.UserStores;

/// <summary>
/// Finds the account behind a typed login: the realm's stores are asked in order and the first that knows the login
/// answers (LinOTP's realms of resolvers). A directory person gets their local record linked on the way. A store that
/// cannot answer is named, and after it only the built-in store is asked: its people still sign in while a directory
/// is down, but no later directory's person can take a login the silent one may hold.
/// </summary>
public sealed class AccountResolver(UserStoreCatalog catalog, UserDirectory builtIn, DirectoryAccounts accounts, IOptions<UserStoreOptions> options, TimeProvider time, ILogger<AccountResolver> logger)
{
    /// <param name="realm">A configured realm, or null for the one the login names (<c>alice@corp</c>) or the default.</param>
    /// <param name="useCache">False asks the stores whatever Idp:StoreCache says.</param>
    public async Task<AccountResolution> ResolveAsync(string login, string? realm, CancellationToken cancellationToken, bool useCache = true)
        => await FindAsync(login, realm, useCache, cancellationToken) with { Login = login, Realm = realm };

    private async Task<AccountResolution> FindAsync(string login, string? realm, bool useCache, CancellationToken cancellationToken)
    {
        var (name, named) = realm is null ? catalog.SplitRealm(login.Trim()) : (login.Trim(), realm);
        var stores = catalog.StoresOf(named ?? catalog.DefaultRealm).ToList();
        if (useCache && await FromCacheAsync(name, stores, cancellationToken) is { } cached)
        {
            return cached;
        }

        var unavailable = new List<string>();
        foreach (var (storeName, directory) in stores)
        {
            if (directory is not null && unavailable.Count > 0)
            {
                // After a store that could not answer, only the built-in store (accounts an administrator made) is
                // asked: a later directory's person must not take a login the unanswering store may hold.
                continue;
            }

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
            catch (AmbiguousLoginException)
            {
                return new AccountResolution(null, storeName, null, null, unavailable);
            }

            if (person is not null)
            {
                var user = await accounts.LinkAsync(person, cancellationToken);
                return new AccountResolution(user, storeName, directory, person, unavailable);
            }
        }

        return new AccountResolution(null, null, null, null, unavailable);
    }

    /// <summary>
    /// After a cached person's bind failed: the cache entry is flushed and the login resolved afresh, since a rename or
    /// a move in the directory leaves the cached DN pointing nowhere. Null when it resolves to someone else or nobody.
    /// </summary>
    public async Task<AccountResolution?> RefreshAsync(AccountResolution cached, string login, string? realm, CancellationToken cancellationToken)
    {
        await accounts.ForgetAsync(cached.User!.Id, cancellationToken);
        var fresh = await ResolveAsync(login, realm, cancellationToken, useCache: false);
        return fresh.User?.Id == cached.User.Id && fresh.Directory is not null ? fresh : null;
    }

    /// <summary>The resolver lookup cache (the login's store), then the user lookup cache (its DN and attributes).</summary>
    private async Task<AccountResolution?> FromCacheAsync(string login, List<(string Name, IDirectoryStore? Directory)> stores, CancellationToken cancellationToken)
    {
        var cache = options.Value.StoreCache;
        if (cache.ResolverLifetime <= TimeSpan.Zero)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var directories = stores.Where(s => s.Directory is not null).Select(s => s.Name).ToList();
        if (await accounts.FindCachedAsync(login, directories, now - cache.ResolverLifetime, cancellationToken) is not { } user)
        {
            return null;
        }

        var directory = stores.First(s => string.Equals(s.Name, user.StoreName, StringComparison.OrdinalIgnoreCase)).Directory!;
        if (user.DirectoryCheckedAt >= now - cache.UserLifetime && user.DirectoryDn is not null && cache.UserLifetime > TimeSpan.Zero)
        {
            return new AccountResolution(user, directory.Name, directory, DirectoryAccounts.Remembered(user), []) { FromCache = true };
        }

        // Only the login's own store is searched; when it no longer knows the login, the whole realm is asked.
        try
        {
            if (await directory.FindAsync(login, cancellationToken) is { } person)
            {
                return new AccountResolution(await accounts.LinkAsync(person, cancellationToken), directory.Name, directory, person, []);
            }
        }
        catch (DirectoryUnavailableException e)
        {
            ReportUnavailable(e);
        }
        catch (AmbiguousLoginException)
        {
            // Left to the full resolution below, which refuses it the same way.
        }

        return null;
    }

    /// <summary>Logged, not audited: an outage would write a row per sign-in. The sign-in's own audit row names the store.</summary>
    public void ReportUnavailable(DirectoryUnavailableException e)
        => logger.LogError(EventIds.DirectoryUnavailable, e, "User store {Store} is unavailable", e.StoreName);
}
