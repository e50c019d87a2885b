namespace Idp.Oidc.Keys;

/// <summary>Checks every hour whether the next signing key is due (each node does; the database lock makes one win).</summary>
internal sealed class SigningKeyRotation(SigningKeyService keys, ILogger<SigningKeyRotation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keys.EnsureKeysAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A database hiccup must not stop rotation for good; the next tick tries again.
                logger.LogError(ex, "Signing key rotation check failed");
            }
        }
    }
}
