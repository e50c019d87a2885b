namespace Idp.UserStores;

/// <summary>
/// <c>Idp:StoreCache</c>: LinOTP's resolver lookup cache and user lookup cache, kept in the database on each directory
/// person's local record, so every node sees the same entries and an administrator's flush reaches them all. A
/// password is never cached: every sign-in binds to the directory. Both off (zero) by default.
/// </summary>
public sealed class UserStoreCacheSettings
{
    /// <summary>How long a login is known to belong to its store: the realm's earlier stores are not asked again.</summary>
    public TimeSpan ResolverLifetime { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long a person's DN and attributes are reused without a search (the bind goes straight to the DN). Used
    /// only while the resolver entry is valid too. Changes in the directory (name, e-mail, groups) show after it.
    /// </summary>
    public TimeSpan UserLifetime { get; set; } = TimeSpan.Zero;
}
