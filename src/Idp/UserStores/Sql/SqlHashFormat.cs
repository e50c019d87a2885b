namespace Idp.UserStores.Sql;

/// <summary>How a SQL store's password column is written. One format per store: a row in another format never matches.</summary>
public enum SqlHashFormat
{
    /// <summary><c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c> bcrypt (OpenBSD; PHP's password_hash, Node, Rails). Only the first 72 bytes of a password count, as everywhere bcrypt is used.</summary>
    Bcrypt,

    /// <summary>Django's <c>pbkdf2_sha256$iterations$salt$base64(key)</c>: PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), a 32-byte key.</summary>
    DjangoPbkdf2,

    /// <summary>ASP.NET Core Identity's Base64 hashes (its format versions 2 and 3), as an application built on Identity stores them.</summary>
    AspNetIdentity,

    /// <summary>
    /// <c>{SSHA}</c>, <c>{SSHA256}</c>, <c>{SSHA512}</c>: Base64 of the salted digest then the salt, as OpenLDAP's
    /// slappasswd writes them. One round of SHA: fast to guess if the table leaks; for tables that hold nothing better.
    /// </summary>
    SaltedSha,
}
