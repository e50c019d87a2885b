using Idp.Persistence;
using Idp.Persistence.Entities;

namespace Idp.Oidc.Audit;

/// <summary>Writes queued audit rows in batches; on shutdown it drains the queue before the process ends.</summary>
internal sealed class AuditWriter(AuditQueue queue, IServiceScopeFactory scopes, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 500;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        queue.HasWriter = true;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEvent>(MaxBatch);
        // Not stoppingToken: stopping completes the queue instead, so what is already queued still gets written.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteAsync(batch);
            queue.Written(batch.Count);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteAsync(List<AuditEvent> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
                db.AuditEvents.AddRange(batch.Select(Copy));
                await db.SaveChangesAsync();
                return;
            }
            catch (Exception ex) when (attempt < 5 && ex is Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
            {
                // The database blinked: retry, so an outage of a few seconds loses no audit row.
                logger.LogWarning("Writing {Count} audit rows failed ({Reason}); retrying", batch.Count, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    // A fresh entity per attempt: a failed SaveChanges may have left the previous ones half-tracked.
    private static AuditEvent Copy(AuditEvent e) => new()
    {
        At = e.At, Type = e.Type, Actor = e.Actor, SubjectUserId = e.SubjectUserId, ClientId = e.ClientId, IpAddress = e.IpAddress, Details = e.Details,
    };
}
