using Idp.Persistence.Entities;
using Idp.Validation;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>Challenge transactions in the database: found by a read, taken by the delete that removes the row (one taker wins).</summary>
internal sealed class EfValidationTransactionStore(IdpDbContext db) : IValidationTransactionStore
{
    public async Task AddAsync(string idHash, string userId, string client, DateTime createdAt, DateTime expiresAt, CancellationToken cancellationToken)
    {
        var transaction = new ValidationTransaction { Id = idHash, UserId = userId, Client = client, CreatedAt = createdAt, ExpiresAt = expiresAt };
        db.ValidationTransactions.Add(transaction);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(transaction).State = EntityState.Detached;
    }

    public async Task<string?> TakeAsync(string idHash, string client, DateTime now, CancellationToken cancellationToken)
    {
        var userId = await db.ValidationTransactions.AsNoTracking()
            .Where(t => t.Id == idHash && t.Client == client && t.ExpiresAt > now)
            .Select(t => t.UserId)
            .FirstOrDefaultAsync(cancellationToken);

        // Of two answers to one transaction (two nodes, a resent packet), only the one whose delete removed the row goes on.
        return userId is not null && await db.ValidationTransactions.Where(t => t.Id == idHash).ExecuteDeleteAsync(cancellationToken) == 1 ? userId : null;
    }
}
