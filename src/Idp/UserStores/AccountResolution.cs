using Idp.Persistence.Entities;

namespace Idp.UserStores;

/// <summary>
/// Who a login is: <see cref="User"/> (null when no store knows it, or when its login is held by another account),
/// the store that answered, and for a directory person the store to check the password with. <see cref="Unavailable"/>
/// names the stores that could not be asked.
/// </summary>
public sealed record AccountResolution(IdpUser? User, string? StoreName, IDirectoryStore? Directory, DirectoryPerson? Person, IReadOnlyList<string> Unavailable)
{
    /// <summary>The person came from the user lookup cache: their DN may be stale (see <see cref="AccountResolver.RefreshAsync"/>).</summary>
    public bool FromCache { get; init; }

    /// <summary>The login and realm exactly as <see cref="AccountResolver.ResolveAsync"/> was given them.</summary>
    public string? Login { get; init; }

    /// <inheritdoc cref="Login"/>
    public string? Realm { get; init; }

    /// <summary>Whether this is the resolution of that very login and realm, as a caller that reuses it must check.</summary>
    public bool IsOf(string login, string? realm) => string.Equals(Login, login, StringComparison.Ordinal) && string.Equals(Realm, realm, StringComparison.Ordinal);
}
