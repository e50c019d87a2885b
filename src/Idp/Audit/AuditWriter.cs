using Idp.Persistence;
using Idp.Persistence.Entities;

namespace Idp.Audit;

/// <summary>
/// Writes queued audit rows in batches. A database outage holds the batch and retries with capped exponential
/// backoff for as long as it lasts: the writer never gives up and never stops the host (a failover of the one
/// database must not take every node down). On shutdown it drains the queue; what the database still refuses when
/// the host's shutdown time is up is counted as dropped.
/// </summary>
internal sealed class AuditWriter(AuditQueue queue, IServiceScopeFactory scopes, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 500;

    // A row waits this long for others before its batch is written: one insert then carries the rows of several
    // requests, and it no longer runs in the middle of the request that queued it, competing for the same cores
    // and connections (#13: a password‖code check is a handful of milliseconds). FlushAsync cuts the wait short.
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(20);
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
            if (queue.Reader.Count < MaxBatch && !queue.Completing)
            {
                // A full batch (a backlog after an outage) or a node stopping is written at once.
                await Task.WhenAny(Task.Delay(Gather, CancellationToken.None), queue.FlushWanted);
            }

            queue.FlushTaken();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteBatchAsync(batch);
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

    private async Task WriteBatchAsync(List<AuditEvent> batch)
    {
        switch (await TryWriteAsync(batch))
        {
            case Outcome.Written:
                queue.Written(batch.Count);
                return;
            case Outcome.GaveUp:
                queue.Drop(batch.Count);
                logger.LogError("Dropped {Count} audit rows: the database did not accept them before shutdown", batch.Count);
                return;
        }

        // The database refuses something in the batch itself, not for a while: one row at a time, so one bad row
        // costs only itself and cannot hold up the queue until the buffer overflows.
        foreach (var row in batch)
        {
            if (await TryWriteAsync([row]) == Outcome.Written)
            {
                queue.Written(1);
            }
            else
            {
                queue.Drop(1);
                logger.LogError("Dropped an audit row of type {Type}: the database refuses it", row.Type);
            }
        }
    }

    /// <summary>Retries while the failure may pass (an outage, a failover), with capped exponential backoff.</summary>
    private async Task<Outcome> TryWriteAsync(List<AuditEvent> rows)
    {
        var delay = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
                db.AuditEvents.AddRange(rows.Select(Copy));
                await db.SaveChangesAsync(_giveUp.Token);
                if (attempt > 1)
                {
                    logger.LogWarning("Wrote {Count} held audit rows after {Attempts} attempts", rows.Count, attempt);
                }

                return Outcome.Written;
            }
            catch (Exception ex) when (!_giveUp.IsCancellationRequested && RefusesTheRows(ex))
            {
                return Outcome.Refused;
            }
            catch (Exception ex) when (!_giveUp.IsCancellationRequested)
            {
                // Whatever else fails (network, failover, a full disk), the rows are held and tried again.
                logger.LogWarning("Writing {Count} audit rows failed ({Reason}); {Waiting} held, retrying in {Delay} ms", rows.Count, ex.GetType().Name, queue.Pending, (int)delay.TotalMilliseconds);
            }
            catch (Exception)
            {
                return Outcome.GaveUp;
            }

            try
            {
                await Task.Delay(delay, _giveUp.Token);
            }
            catch (OperationCanceledException)
            {
                return Outcome.GaveUp;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
        }
    }

    /// <summary>
    /// The database refuses the data itself, whenever it is tried: PostgreSQL's data and integrity classes (SQLSTATE
    /// 22, 23), SQLite's TOOBIG, CONSTRAINT and MISMATCH. Everything else is taken to be passing.
    /// </summary>
    private static bool RefusesTheRows(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Microsoft.Data.Sqlite.SqliteException sqlite:
                    return sqlite.SqliteErrorCode is 18 or 19 or 20;
                case System.Data.Common.DbException { SqlState: { Length: 5 } state }:
                    return state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal);
            }
        }

        return false;
    }

    // A fresh entity per attempt: a failed SaveChanges may have left the previous ones half-tracked.
    private static AuditEvent Copy(AuditEvent e) => new()
    {
        At = e.At, Type = e.Type, Actor = e.Actor, SubjectUserId = e.SubjectUserId, ClientId = e.ClientId, IpAddress = e.IpAddress, Details = e.Details,
    };

    private enum Outcome
    {
        Written,

        /// <summary>The database refuses these rows themselves (see <see cref="RefusesTheRows"/>).</summary>
        Refused,

        /// <summary>Shutdown ran out of time while the database was still away.</summary>
        GaveUp,
    }
}
