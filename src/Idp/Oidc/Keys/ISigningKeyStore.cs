namespace Idp.Oidc.Keys;

/// <summary>
/// The signing keys every node shares: the engine's side of the store boundary; the database's side is
/// <c>Persistence/Stores/EfSigningKeyStore</c>.
/// </summary>
public interface ISigningKeyStore
{
    /// <summary>Every stored key, oldest activation first.</summary>
    Task<IReadOnlyList<StoredSigningKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Edits the key set under a database-wide lock, so that of several nodes deciding at once that a key is due,
    /// one adds it: <paramref name="edit"/> sees the stored keys and says what to write. The keys added.
    /// </summary>
    Task<IReadOnlyList<StoredSigningKey>> EditAsync(Func<IReadOnlyList<StoredSigningKey>, SigningKeyEdit> edit, CancellationToken cancellationToken);
}
