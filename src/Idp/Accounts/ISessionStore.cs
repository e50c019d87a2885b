namespace Idp.Accounts;

/// <summary>
/// Sign-in session rows: the accounts side of the store boundary; the database's side is
/// <c>Persistence/Stores/EfSessionStore</c>. The store keeps the ticket as the protected bytes it is given and never
/// reads them; deleting a row ends that session on every node at its next request.
/// </summary>
public interface ISessionStore
{
    Task AddAsync(StoredSession session, CancellationToken cancellationToken);

    /// <summary>Renews an existing session of this user in place; a session ended elsewhere, or another user's row, is left as it was.</summary>
    Task RenewAsync(string sessionId, string userId, byte[] ticket, DateTime lastSeenAt, DateTime expiresAt, CancellationToken cancellationToken);

    /// <summary>The protected ticket of a session that has not expired at <paramref name="now"/>; null otherwise.</summary>
    Task<byte[]?> FindTicketAsync(string sessionId, DateTime now, CancellationToken cancellationToken);

    Task RemoveAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Ends every session of the user but <paramref name="keepSessionId"/>; how many ended.</summary>
    Task<int> RemoveAllOfUserAsync(string userId, string? keepSessionId, CancellationToken cancellationToken);
}
