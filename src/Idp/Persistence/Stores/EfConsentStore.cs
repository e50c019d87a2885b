using Idp.Oidc.Consent;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>Consents in <c>UserConsents</c>, one row per user and client, its scopes space-separated in order.</summary>
internal sealed class EfConsentStore(IdpDbContext db, TimeProvider time) : IConsentStore
{
    public async Task<bool> CoversAsync(string userId, string clientId, IEnumerable<string> scopes, DateTime? notBefore, CancellationToken cancellationToken)
    {
        var consent = await db.UserConsents.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId && c.ClientId == clientId, cancellationToken);
        if (consent is null || (notBefore is { } since && consent.GrantedAt < since))
        {
            return false;
        }

        var granted = consent.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return scopes.All(s => granted.Contains(s, StringComparer.Ordinal));
    }

    public async Task GrantAsync(string userId, string clientId, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var scopeText = string.Join(' ', scopes.Order(StringComparer.Ordinal));
        var updated = await db.UserConsents.Where(c => c.UserId == userId && c.ClientId == clientId)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Scopes, scopeText).SetProperty(x => x.GrantedAt, now), cancellationToken);
        if (updated == 0)
        {
            db.UserConsents.Add(new UserConsent { UserId = userId, ClientId = clientId, Scopes = scopeText, GrantedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
