using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence;

/// <summary>
/// Deletes state nobody can use any more: expired sessions, codes, pending requests and sign-ins, refresh tokens
/// past expiry, grants nothing live belongs to, and revoked-token markers for tokens that have expired anyway. Every node runs it; the deletes are
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
        var longestAccessToken = LongestAccessToken();
        var deleted = 0;
        deleted += await db.UserSessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.PendingAuthorizations.Where(p => p.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.PendingSignIns.Where(p => p.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.ValidationTransactions.Where(t => t.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.AuthorizationCodes.Where(c => c.ExpiresAt <= spentBefore).ExecuteDeleteAsync(cancellationToken);
        // Kept past expiry as long as the access token issued with the last one may live, and its grant with it.
        deleted += await db.RefreshTokens.Where(t => t.ExpiresAt <= now - longestAccessToken).ExecuteDeleteAsync(cancellationToken);
        // A grant ends when nothing it issued can still be used: no code or refresh token left, and its first access
        // token (issued with the grant) expired. Later access tokens came with a refresh token, still kept above.
        var grantsBefore = now - longestAccessToken - KeepSpentCodes;
        deleted += await db.Grants
            .Where(g => g.CreatedAt <= grantsBefore && !db.RefreshTokens.Any(t => t.GrantId == g.Id) && !db.AuthorizationCodes.Any(c => c.GrantId == g.Id))
            .ExecuteDeleteAsync(cancellationToken);
        deleted += await db.RevokedAccessTokens.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.SetupTokens.Where(t => t.ExpiresAt <= spentBefore).ExecuteDeleteAsync(cancellationToken);
        var auditBefore = now - options.Value.Audit.Retention;
        deleted += await db.AuditEvents.Where(e => e.At < auditBefore).ExecuteDeleteAsync(cancellationToken);
        return deleted;
    }

    private TimeSpan LongestAccessToken()
        => options.Value.Clients.Select(c => c.AccessTokenLifetime).OfType<TimeSpan>().Append(options.Value.Tokens.AccessTokenLifetime).Max();

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
