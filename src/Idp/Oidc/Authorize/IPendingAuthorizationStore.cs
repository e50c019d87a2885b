namespace Idp.Oidc.Authorize;

/// <summary>
/// Where authorization requests wait for the person: rows any node can read. The engine's side of the store
/// boundary (what to keep, how big, how long is <see cref="PendingAuthorizations"/>'s); the database's side is
/// <c>Persistence/Stores/EfPendingAuthorizationStore</c>.
/// </summary>
public interface IPendingAuthorizationStore
{
    Task AddAsync(string id, string parametersJson, DateTime createdAt, DateTime expiresAt, CancellationToken cancellationToken);

    /// <summary>The request's parameters (JSON) and when it was saved, while it has not expired at <paramref name="now"/>.</summary>
    Task<(string ParametersJson, DateTime CreatedAt)?> FindUnexpiredAsync(string id, DateTime now, CancellationToken cancellationToken);

    /// <summary>Deletes the row; true for exactly one of several callers at once.</summary>
    Task<bool> TryDeleteAsync(string id, CancellationToken cancellationToken);
}
