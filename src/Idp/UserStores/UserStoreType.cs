namespace Idp.UserStores;

/// <summary>Where a user store's people come from.</summary>
public enum UserStoreType
{
    /// <summary>Idp's own users table: writable, passwords hashed by Idp.</summary>
    BuiltIn,

    /// <summary>An LDAP directory (OpenLDAP, Active Directory, 389 DS), read-only: the password is checked by a bind.</summary>
    Ldap,

    /// <summary>A read-only table in another database (PostgreSQL or SQLite): the password is checked against the row's hash.</summary>
    Sql,
}
