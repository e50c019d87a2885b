namespace Idp.Audit;

/// <summary>Flushes <see cref="ProtocolErrorTally"/> every minute, and once more when the node stops.</summary>
internal sealed class ProtocolErrorTallyWriter(ProtocolErrorTally tally, AuditLog audit, ILogger<ProtocolErrorTallyWriter> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last minute's counts are written below.
        }

        await FlushAsync(CancellationToken.None);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await tally.FlushAsync(audit, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Writing the refused-request counts failed: {Reason}", ex.GetType().Name);
        }
    }
}
