namespace Idp.UserStores;

/// <summary>
/// A read-only store of people Idp does not own (an LDAP directory, a SQL table). Idp never writes to it: it finds a person by login and
/// asks the store whether a password is theirs. Both throw <see cref="DirectoryUnavailableException"/> when the
/// store cannot answer, so "unknown" and "unreachable" are never confused.
/// </summary>
public interface IDirectoryStore
{
    string Name { get; }

    /// <summary>The one person whose login this is; null when none is, or when more than one is (the login is ambiguous).</summary>
    Task<DirectoryPerson?> FindAsync(string login, CancellationToken cancellationToken);

    /// <summary>
    /// People whose login (any login attribute or column) or name contains <paramref name="text"/> (everyone when
    /// empty), in the store's order: <paramref name="take"/> of them after the first <paramref name="skip"/>, for the
    /// administrators' search. <c>skip + take</c> is at most <see cref="MaxSearchResults"/>.
    /// </summary>
    Task<DirectorySearchPage> SearchAsync(string text, int skip, int take, CancellationToken cancellationToken);

    /// <summary>How far an administrator's search reaches: past this, the search must be narrowed.</summary>
    public const int MaxSearchResults = 1000;

    /// <summary>Whether the store answers: the service account binds and the search base exists. Throws when not.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether the store verifies a password hash itself (SQL), taking a hash's time, rather than asking a server
    /// (LDAP, milliseconds): only the latter gets a dummy hash after a wrong password, to cost what an unknown login costs.
    /// </summary>
    bool HashesPasswords { get; }

    /// <summary>Whether the password is the person's, as the store decides it at this moment (a disabled account or a changed password fails at once).</summary>
    /// <param name="confirmId">
    /// The person's DN came from a cache: after the bind, the entry it names must still carry the person's immutable id,
    /// or the answer is false (after a rename the DN may name someone else, who would bind with their own password).
    /// </param>
    Task<bool> CheckPasswordAsync(DirectoryPerson person, string password, bool confirmId, CancellationToken cancellationToken);
}
