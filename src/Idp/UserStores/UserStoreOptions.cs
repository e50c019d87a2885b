namespace Idp.UserStores;

/// <summary>
/// The user stores and realms (LinOTP's resolvers and realms), read from the <c>Idp</c> section beside the other
/// Idp options. Nothing configured means one built-in store in one realm: Idp as it always was.
/// </summary>
public sealed class UserStoreOptions
{
    public const string Section = "Idp";

    public const string BuiltInStoreName = "local";

    public const string DefaultRealmName = "default";

    /// <summary>Empty: one built-in store named <c>local</c>.</summary>
    public List<UserStoreSettings> Stores { get; set; } = [];

    /// <summary>Empty: one realm named <c>default</c> holding every store in the order listed.</summary>
    public List<RealmSettings> Realms { get; set; } = [];

    /// <summary>The realm of a login that names none. Empty: the first realm.</summary>
    public string? DefaultRealm { get; set; }

    public UserStoreCacheSettings StoreCache { get; set; } = new();

    /// <summary>The stores as configured, or the one built-in store when none is.</summary>
    public IReadOnlyList<UserStoreSettings> EffectiveStores()
        => Stores.Count > 0 ? Stores : [new UserStoreSettings { Name = BuiltInStoreName, Type = UserStoreType.BuiltIn }];

    /// <summary>The realms as configured, or one realm of every store when none is.</summary>
    public IReadOnlyList<RealmSettings> EffectiveRealms()
        => Realms.Count > 0 ? Realms : [new RealmSettings { Name = DefaultRealmName, Stores = EffectiveStores().Select(s => s.Name).ToList() }];

    public string EffectiveDefaultRealm() => string.IsNullOrWhiteSpace(DefaultRealm) ? EffectiveRealms()[0].Name : DefaultRealm;
}
