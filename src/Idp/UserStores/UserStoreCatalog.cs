using Idp.UserStores.Ldap;
using Idp.UserStores.Sql;
using Microsoft.Extensions.Options;

namespace Idp.UserStores;

/// <summary>The configured stores and realms, built once: which stores a realm asks, in which order.</summary>
public sealed class UserStoreCatalog : IDisposable
{
    private readonly Dictionary<string, IDirectoryStore?> _stores = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IReadOnlyList<string>> _realms = new(StringComparer.OrdinalIgnoreCase);

    public UserStoreCatalog(IOptions<UserStoreOptions> options, ILoggerFactory loggers)
    {
        var settings = options.Value;
        foreach (var store in settings.EffectiveStores())
        {
            _stores[store.Name] = store.Type switch
            {
                UserStoreType.Ldap => new LdapDirectoryStore(store.Name, store.Ldap, loggers.CreateLogger<LdapDirectoryStore>()),
                UserStoreType.Sql => new SqlDirectoryStore(store.Name, store.Sql, loggers.CreateLogger<SqlDirectoryStore>()),
                _ => null,
            };
        }

        foreach (var realm in settings.EffectiveRealms())
        {
            _realms[realm.Name] = realm.Stores;
        }

        BuiltInStore = settings.EffectiveStores().FirstOrDefault(s => s.Type == UserStoreType.BuiltIn)?.Name;
        DefaultRealm = settings.EffectiveDefaultRealm();
        ExplicitRealms = settings.Realms.Count > 0;
    }

    public string DefaultRealm { get; }

    /// <summary>The built-in store's name as configured; null when Idp:Stores lists none (local accounts then sign in nowhere).</summary>
    public string? BuiltInStore { get; }

    /// <summary>Closes the stores' pooled connections when the node stops.</summary>
    public void Dispose()
    {
        foreach (var store in _stores.Values.OfType<IDisposable>())
        {
            store.Dispose();
        }
    }

    /// <summary>Whether realms were configured; only then does a login's <c>@realm</c> suffix name one.</summary>
    public bool ExplicitRealms { get; }

    public IEnumerable<IDirectoryStore> DirectoryStores => _stores.Values.OfType<IDirectoryStore>();

    public bool IsRealm(string? name) => name is not null && _realms.ContainsKey(name);

    /// <summary>The realm's stores in order: a directory store, or null for the built-in one.</summary>
    public IEnumerable<(string Name, IDirectoryStore? Directory)> StoresOf(string realm)
        => _realms[realm].Select(name => (name, _stores[name]));

    /// <summary>The realms that ask a store, in configuration order: where its people sign in. Null: the built-in store.</summary>
    public IReadOnlyList<string> RealmsOf(string? storeName)
    {
        var name = storeName ?? BuiltInStore;
        return name is null ? [] : _realms.Where(r => r.Value.Contains(name, StringComparer.OrdinalIgnoreCase)).Select(r => r.Key).ToList();
    }

    /// <summary><c>alice@corp</c> is alice in realm corp when corp is a configured realm; anything else is the login as typed.</summary>
    public (string Login, string? Realm) SplitRealm(string login)
    {
        var at = login.LastIndexOf('@');
        if (ExplicitRealms && at > 0 && at < login.Length - 1 && IsRealm(login[(at + 1)..]))
        {
            return (login[..at], login[(at + 1)..]);
        }

        return (login, null);
    }
}
