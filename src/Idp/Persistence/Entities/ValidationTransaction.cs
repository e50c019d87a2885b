namespace Idp.Persistence.Entities;

/// <summary>
/// A challenge waiting for its code (validation API or RADIUS Access-Challenge): the password was right. Only the
/// SHA-256 of the transaction id is stored (<see cref="Id"/>); the row is bound to the user and the asking client,
/// lives <c>Idp:Validation:TransactionLifetime</c>, and is deleted by the answer that uses it, on whichever node.
/// </summary>
public sealed class ValidationTransaction
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The channel and client that opened it ("radius:vpn"): only the same may answer it.</summary>
    public required string Client { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }
}
