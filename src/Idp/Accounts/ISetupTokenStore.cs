namespace Idp.Accounts;

/// <summary>
/// First-administrator links, kept as the SHA-256 of their token: the accounts side of the store boundary; the
/// database's side is <c>Persistence/Stores/EfSetupTokenStore</c>. Using a link is one conditional write.
/// </summary>
public interface ISetupTokenStore
{
    Task<bool> AnyAccountExistsAsync(CancellationToken cancellationToken);

    Task AddAsync(string tokenHash, DateTime createdAt, DateTime expiresAt, CancellationToken cancellationToken);

    /// <summary>The link's expiry and when it was used; null when no such link was ever issued.</summary>
    Task<(DateTime ExpiresAt, DateTime? UsedAt)?> FindAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Marks the link used at <paramref name="now"/> if it is unused and unexpired; true for exactly one caller.</summary>
    Task<bool> TryConsumeAsync(string tokenHash, DateTime now, CancellationToken cancellationToken);

    /// <summary>Marks every unused link used.</summary>
    Task RetireAllAsync(DateTime now, CancellationToken cancellationToken);
}
