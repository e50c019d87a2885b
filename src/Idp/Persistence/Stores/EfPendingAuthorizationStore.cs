using Idp.Oidc.Authorize;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>Pending authorization requests in <c>PendingAuthorizations</c>; expired rows are swept by <see cref="ExpiredStateCleanup"/>.</summary>
internal sealed class EfPendingAuthorizationStore(IdpDbContext db) : IPendingAuthorizationStore
{
    public async Task AddAsync(string id, string parametersJson, DateTime createdAt, DateTime expiresAt, CancellationToken cancellationToken)
    {
        db.PendingAuthorizations.Add(new PendingAuthorization { Id = id, Parameters = parametersJson, CreatedAt = createdAt, ExpiresAt = expiresAt });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<(string ParametersJson, DateTime CreatedAt)?> FindUnexpiredAsync(string id, DateTime now, CancellationToken cancellationToken)
    {
        var row = await db.PendingAuthorizations.AsNoTracking()
            .Where(p => p.Id == id && p.ExpiresAt > now)
            .Select(p => new { p.Parameters, p.CreatedAt })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Parameters, row.CreatedAt);
    }

    public async Task<bool> TryDeleteAsync(string id, CancellationToken cancellationToken)
        => await db.PendingAuthorizations.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken) == 1;
}
