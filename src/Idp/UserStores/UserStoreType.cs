namespace Idp.UserStores;

/// <summary>Where a user store's people come from.</summary>
public enum UserStoreType
{
    /// <summary>Idp's own users table: writable, passwords hashed by Idp.</summary>
    BuiltIn,

    /// <summary>An LDAP directory (OpenLDAP, Active Directory, 389 DS), read-only: the password is checked by a bind.</summary>
    Ldap,

    /// <summary>A read-only table in another database (not yet available: start-up refuses it).</summary>
    Sql,
}
