using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence;

/// <summary>
/// Deletes state nobody can use any more: expired sessions, codes, pending requests and sign-ins, refresh tokens
/// past expiry, and revoked-token markers for tokens that have expired anyway. Every node runs it; the deletes are
/// idempotent, so running twice costs nothing. Spent codes are kept a day for the audit of replays; audit rows are
/// kept for Idp:Audit:Retention.
/// </summary>
internal sealed class ExpiredStateCleanup(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<Hosting.IdpOptions> options, TimeProvider time, ILogger<ExpiredStateCleanup> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan KeepSpentCodes = TimeSpan.FromDays(1);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var spentBefore = now - KeepSpentCodes;
        var deleted = 0;
        deleted += await db.UserSessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.PendingAuthorizations.Where(p => p.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.PendingSignIns.Where(p => p.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.AuthorizationCodes.Where(c => c.ExpiresAt <= spentBefore).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.RefreshTokens.Where(t => t.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.RevokedAccessTokens.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.SetupTokens.Where(t => t.ExpiresAt <= spentBefore).ExecuteDeleteAsync(cancellationToken);
        var auditBefore = now - options.Value.Audit.Retention;
        deleted += await db.AuditEvents.Where(e => e.At < auditBefore).ExecuteDeleteAsync(cancellationToken);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await RunOnceAsync(stoppingToken);
                if (deleted > 0)
                {
                    logger.LogInformation("Deleted {Count} expired rows", deleted);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next tick tries again; a failure here must not stop the server.
                logger.LogWarning("Cleaning expired state failed: {Reason}", ex.GetType().Name);
            }
        }
    }
}
