namespace Idp.Oidc.Grants;

/// <summary>
/// Refresh tokens, rotated on every use: the engine's side of the store boundary; the database's side is
/// <c>Persistence/Stores/EfRefreshTokenStore</c>.
/// </summary>
internal interface IRefreshTokenStore
{
    /// <summary>Runs a rotation (consume, then issue the successor) as one transaction, so a failed issue undoes the consumption.</summary>
    Task<T> RotateAsync<T>(Func<Task<T>> rotation, CancellationToken cancellationToken);

    /// <summary>Stores a new refresh token; the token itself (only its hash is kept).</summary>
    Task<string> CreateAsync(IssuedRefreshToken issued, CancellationToken cancellationToken);

    /// <summary>
    /// Uses the token up for its own client; a consumed token used again revokes its family (OAuth 2.0 Security BCP
    /// §4.14); whatever refuses a refresh leaves the token as it was.
    /// </summary>
    Task<RefreshTokenUse> ConsumeAsync(string token, string clientId, CancellationToken cancellationToken);

    Task<IssuedRefreshToken?> FindAsync(string token, CancellationToken cancellationToken);
}
