namespace Idp.Accounts.Notices;

/// <summary>Sends what <see cref="MailOutbox"/> holds, one message at a time; a failure is logged and the message dropped.</summary>
internal sealed class MailDelivery(MailOutbox outbox, MailSender sender, ILogger<MailDelivery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        outbox.HasDelivery = true;
        try
        {
            await foreach (var message in outbox.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await sender.SendAsync(message, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The address is personal data: the log says what failed, not to whom.
                    logger.LogWarning(e, "Could not send the notice \"{Subject}\"", message.Subject);
                }
            }
        }
        finally
        {
            outbox.HasDelivery = false;
        }
    }
}
