using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>
/// Each user's second-factor document, one row per user. Every write is a compare-and-set on <c>Version</c>
/// (<c>UPDATE … WHERE Version = @expected</c>, one row or none), never read-then-write.
/// </summary>
internal sealed class EfSecondFactorDocumentStore(IdpDbContext db, TimeProvider time) : ISecondFactorDocumentStore
{
    public async Task<StoredDocument> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        var row = await db.SecondFactorDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.UserId == userId, cancellationToken);
        return row is null ? StoredDocument.None : new StoredDocument(row.DevicesJson, row.Version);
    }

    public async Task<bool> TryReplaceAsync(string userId, string json, long expectedVersion, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expectedVersion == 0)
        {
            db.SecondFactorDocuments.Add(new SecondFactorDocumentRecord { UserId = userId, DevicesJson = json, Version = 1, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException)
            {
                // Another writer inserted the row first (primary key clash).
                db.ChangeTracker.Clear();
                return false;
            }
        }

        var updated = await db.SecondFactorDocuments
            .Where(d => d.UserId == userId && d.Version == expectedVersion)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.DevicesJson, json).SetProperty(x => x.Version, expectedVersion + 1).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        return updated == 1;
    }
}
