using Idp.Accounts;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>Sign-in sessions in the <c>UserSessions</c> table; one statement per call.</summary>
internal sealed class EfSessionStore(IdpDbContext db) : ISessionStore
{
    public async Task AddAsync(StoredSession session, CancellationToken cancellationToken)
    {
        db.UserSessions.Add(new UserSession
        {
            Id = session.Id,
            UserId = session.UserId,
            CreatedAt = session.CreatedAt,
            LastSeenAt = session.CreatedAt,
            ExpiresAt = session.ExpiresAt,
            Ticket = session.Ticket,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task RenewAsync(string sessionId, string userId, byte[] ticket, DateTime lastSeenAt, DateTime expiresAt, CancellationToken cancellationToken)
        => db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, ticket).SetProperty(x => x.LastSeenAt, lastSeenAt).SetProperty(x => x.ExpiresAt, expiresAt), cancellationToken);

    public Task<byte[]?> FindTicketAsync(string sessionId, DateTime now, CancellationToken cancellationToken)
        => db.UserSessions.Where(s => s.Id == sessionId && s.ExpiresAt > now).Select(s => (byte[]?)s.Ticket).FirstOrDefaultAsync(cancellationToken);

    public Task RemoveAsync(string sessionId, CancellationToken cancellationToken)
        => db.UserSessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync(cancellationToken);

    public Task<int> RemoveAllOfUserAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
        => db.UserSessions.Where(s => s.UserId == userId && s.Id != keepSessionId).ExecuteDeleteAsync(cancellationToken);
}
