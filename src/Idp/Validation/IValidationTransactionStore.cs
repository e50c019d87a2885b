namespace Idp.Validation;

/// <summary>
/// Open challenge transactions, by the SHA-256 of their id: the validation API's side of the store boundary; the
/// database's side is <c>Persistence/Stores/EfValidationTransactionStore</c>.
/// </summary>
internal interface IValidationTransactionStore
{
    Task AddAsync(string idHash, string userId, string client, DateTime createdAt, DateTime expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// The user of the transaction if it is this client's and not expired at <paramref name="now"/>, deleting it; null
    /// otherwise. Of two takers at once (two nodes, a resent packet), only one gets the user.
    /// </summary>
    Task<string?> TakeAsync(string idHash, string client, DateTime now, CancellationToken cancellationToken);
}
