using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Idp.Validation;

/// <summary>
/// Challenge transactions, kept in the database (<see cref="IValidationTransactionStore"/>) so that any node answers
/// the second leg. The id is 128 random bits; only its SHA-256 is stored, and taking a transaction deletes it in the
/// same step that finds it: single use.
/// </summary>
internal sealed class ValidationTransactions(IValidationTransactionStore store, IOptions<Hosting.IdpOptions> options, TimeProvider time)
{
    /// <summary>The longest transaction id accepted; ours are 32 hex characters.</summary>
    public const int MaxIdLength = 64;

    public async Task<string> OpenAsync(string userId, string client, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow().UtcDateTime;
        await store.AddAsync(Hash(id), userId, client, now, now + options.Value.Validation.TransactionLifetime, cancellationToken);
        return id;
    }

    /// <summary>The user of an open, unexpired transaction of this client, taken so nobody can answer it again; null otherwise.</summary>
    public async Task<string?> TakeAsync(string? id, string client, CancellationToken cancellationToken)
        => string.IsNullOrEmpty(id) || id.Length > MaxIdLength
            ? null
            : await store.TakeAsync(Hash(id), client, time.GetUtcNow().UtcDateTime, cancellationToken);

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
