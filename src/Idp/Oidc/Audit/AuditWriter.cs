using Idp.Persistence;
using Idp.Persistence.Entities;

namespace Idp.Oidc.Audit;

/// <summary>
/// Writes queued audit rows in batches. A database outage holds the batch and retries with capped exponential
/// backoff for as long as it lasts: the writer never gives up and never stops the host (a failover of the one
/// database must not take every node down). On shutdown it drains the queue; what the database still refuses when
/// the host's shutdown time is up is counted as dropped.
/// </summary>
internal sealed class AuditWriter(AuditQueue queue, IServiceScopeFactory scopes, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 500;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

    // Cancelled only when the host's shutdown time is up (StopAsync's token), not when stopping begins.
    private readonly CancellationTokenSource _giveUp = new();

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

            if (await WriteAsync(batch))
            {
                queue.Written(batch.Count);
            }
            else
            {
                queue.Drop(batch.Count);
                logger.LogError("Dropped {Count} audit rows: the database did not accept them before shutdown", batch.Count);
            }

            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await using var registration = cancellationToken.Register(_giveUp.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _giveUp.Dispose();
        base.Dispose();
    }

    /// <returns>False only when shutdown ran out of time while the database refused the rows.</returns>
    private async Task<bool> WriteAsync(List<AuditEvent> batch)
    {
        var delay = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
                db.AuditEvents.AddRange(batch.Select(Copy));
                await db.SaveChangesAsync(_giveUp.Token);
                if (attempt > 1)
                {
                    logger.LogWarning("Wrote {Count} held audit rows after {Attempts} attempts", batch.Count, attempt);
                }

                return true;
            }
            catch (Exception ex) when (!_giveUp.IsCancellationRequested)
            {
                // Whatever the failure (network, failover, a full disk), the rows are held and tried again.
                logger.LogWarning("Writing {Count} audit rows failed ({Reason}); {Waiting} held, retrying in {Delay} ms", batch.Count, ex.GetType().Name, queue.Pending, (int)delay.TotalMilliseconds);
            }
            catch (Exception)
            {
                return false;
            }

            try
            {
                await Task.Delay(delay, _giveUp.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
        }
    }

    // A fresh entity per attempt: a failed SaveChanges may have left the previous ones half-tracked.
    private static AuditEvent Copy(AuditEvent e) => new()
    {
        At = e.At, Type = e.Type, Actor = e.Actor, SubjectUserId = e.SubjectUserId, ClientId = e.ClientId, IpAddress = e.IpAddress, Details = e.Details,
    };
}
