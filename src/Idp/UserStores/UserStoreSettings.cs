namespace Idp.UserStores;

/// <summary>One entry of <c>Idp:Stores</c>.</summary>
public sealed class UserStoreSettings
{
    /// <summary>Unique; realms list stores by it, the audit trail names it, and a directory user's record keeps it.</summary>
    public string Name { get; set; } = string.Empty;

    public UserStoreType Type { get; set; } = UserStoreType.BuiltIn;

    /// <summary>Required when <see cref="Type"/> is Ldap.</summary>
    public Ldap.LdapStoreSettings Ldap { get; set; } = new();

    /// <summary>Required when <see cref="Type"/> is Sql.</summary>
    public Sql.SqlStoreSettings Sql { get; set; } = new();
}
