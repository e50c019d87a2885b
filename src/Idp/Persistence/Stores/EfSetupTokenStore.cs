using Idp.Accounts;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>First-administrator links in the <c>SetupTokens</c> table.</summary>
internal sealed class EfSetupTokenStore(IdpDbContext db) : ISetupTokenStore
{
    public Task<bool> AnyAccountExistsAsync(CancellationToken cancellationToken) => db.Users.AnyAsync(cancellationToken);

    public async Task AddAsync(string tokenHash, DateTime createdAt, DateTime expiresAt, CancellationToken cancellationToken)
    {
        db.SetupTokens.Add(new SetupToken { TokenHash = tokenHash, CreatedAt = createdAt, ExpiresAt = expiresAt });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<(DateTime ExpiresAt, DateTime? UsedAt)?> FindAsync(string tokenHash, CancellationToken cancellationToken)
        => await db.SetupTokens.Where(t => t.TokenHash == tokenHash).Select(t => new { t.ExpiresAt, t.UsedAt }).FirstOrDefaultAsync(cancellationToken) is { } found
            ? (found.ExpiresAt, found.UsedAt)
            : null;

    public async Task<bool> TryConsumeAsync(string tokenHash, DateTime now, CancellationToken cancellationToken)
        => await db.SetupTokens
            .Where(t => t.TokenHash == tokenHash && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken) == 1;

    public Task RetireAllAsync(DateTime now, CancellationToken cancellationToken)
        => db.SetupTokens.Where(t => t.UsedAt == null).ExecuteUpdateAsync(t => t.SetProperty(x => x.UsedAt, now), cancellationToken);
}
