using Idp.Oidc.Keys;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>
/// Signing keys in the database. A singleton, as <see cref="SigningKeyService"/> is: each call works in a scope of its
/// own. Edits run under <see cref="DatabaseLocks.SigningKeys"/> (an advisory lock on PostgreSQL, the write lock on
/// SQLite), so two nodes never both add the key that is due.
/// </summary>
internal sealed class EfSigningKeyStore(IServiceScopeFactory scopes) : ISigningKeyStore
{
    public async Task<IReadOnlyList<StoredSigningKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        return [.. (await db.SigningKeys.AsNoTracking().OrderBy(k => k.ActivatesAt).ToListAsync(cancellationToken)).Select(Stored)];
    }

    public async Task<IReadOnlyList<StoredSigningKey>> EditAsync(Func<IReadOnlyList<StoredSigningKey>, SigningKeyEdit> edit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        var target = scope.ServiceProvider.GetRequiredService<DatabaseTarget>();
        IReadOnlyList<StoredSigningKey> added = [];
        await DatabaseLocks.RunExclusiveAsync(db, target.Provider, DatabaseLocks.SigningKeys, async () =>
        {
            var rows = await db.SigningKeys.OrderBy(k => k.ActivatesAt).ToListAsync(cancellationToken);
            var changes = edit([.. rows.Select(Stored)]);
            foreach (var key in changes.Added)
            {
                db.SigningKeys.Add(new SigningKeyRecord
                {
                    Id = key.Id, Algorithm = key.Algorithm, ProtectedPrivateKey = key.ProtectedPrivateKey, PublicJwk = key.PublicJwk, CreatedAt = key.CreatedAt, ActivatesAt = key.ActivatesAt,
                });
            }

            foreach (var key in changes.Rewritten)
            {
                rows.Single(r => r.Id == key.Id).ProtectedPrivateKey = key.ProtectedPrivateKey;
            }

            db.SigningKeys.RemoveRange(rows.Where(r => changes.Deleted.Contains(r.Id, StringComparer.Ordinal)));
            await db.SaveChangesAsync(cancellationToken);
            added = changes.Added;
        }, cancellationToken);
        return added;
    }

    private static StoredSigningKey Stored(SigningKeyRecord row) => new(row.Id, row.Algorithm, row.ProtectedPrivateKey, row.PublicJwk, row.CreatedAt, row.ActivatesAt);
}
