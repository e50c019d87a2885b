using System.Security.Cryptography;
using System.Text;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.Validation;

/// <summary>
/// Challenge transactions in the database, so that any node answers the second leg. The id is 128 random bits;
/// only its SHA-256 is stored, and taking a transaction deletes it in the same statement that finds it: single use.
/// </summary>
internal sealed class ValidationTransactionStore(IdpDbContext db, IOptions<Hosting.IdpOptions> options, TimeProvider time)
{
    /// <summary>The longest transaction id accepted; ours are 32 hex characters.</summary>
    public const int MaxIdLength = 64;

    public async Task<string> OpenAsync(string userId, string client, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow().UtcDateTime;
        var transaction = new ValidationTransaction
        {
            Id = Hash(id),
            UserId = userId,
            Client = client,
            CreatedAt = now,
            ExpiresAt = now + options.Value.Validation.TransactionLifetime,
        };
        db.ValidationTransactions.Add(transaction);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(transaction).State = EntityState.Detached;
        return id;
    }

    /// <summary>The user of an open, unexpired transaction of this client, taken so nobody can answer it again; null otherwise.</summary>
    public async Task<string?> TakeAsync(string? id, string client, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength)
        {
            return null;
        }

        var hash = Hash(id);
        var now = time.GetUtcNow().UtcDateTime;
        var userId = await db.ValidationTransactions.AsNoTracking()
            .Where(t => t.Id == hash && t.Client == client && t.ExpiresAt > now)
            .Select(t => t.UserId)
            .FirstOrDefaultAsync(cancellationToken);

        // Of two answers to one transaction (two nodes, a resent packet), only the one whose delete removed the row goes on.
        return userId is not null && await db.ValidationTransactions.Where(t => t.Id == hash).ExecuteDeleteAsync(cancellationToken) == 1 ? userId : null;
    }

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
