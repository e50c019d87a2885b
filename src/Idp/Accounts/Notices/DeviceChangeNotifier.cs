using System.Globalization;
using Idp.Hosting;
using Idp.Audit;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.Notices;

/// <summary>
/// Tells a user by e-mail whenever one of their second-factor devices is registered, imported, renamed or removed,
/// by them or by an administrator, so a change they did not make does not go unnoticed. Hooked on the audit trail,
/// which records every such change exactly once. Needs mail settings and an e-mail address on the account.
/// </summary>
internal sealed class DeviceChangeNotifier(IServiceScopeFactory scopes, MailOutbox outbox, MailSender sender, IOptions<IdpOptions> options, ILogger<DeviceChangeNotifier> logger) : IAuditSubscriber
{
    private static readonly Dictionary<string, string> Changes = new(StringComparer.Ordinal)
    {
        [AuditEventTypes.DeviceEnrolled] = "A second-factor device was registered",
        [AuditEventTypes.DeviceAdded] = "A second-factor device was registered",
        [AuditEventTypes.DeviceImported] = "Second-factor devices were imported",
        [AuditEventTypes.DeviceRenamed] = "A second-factor device was renamed",
        [AuditEventTypes.DeviceRemoved] = "A second-factor device was removed",
        [AuditEventTypes.DeviceKeyChanged] = "A second-factor device got a new key",
        [AuditEventTypes.DeviceKeyShown] = "The key of a second-factor device was shown",
    };

    public async Task OnRecordedAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        if (!options.Value.Mail.IsEnabled() || auditEvent.SubjectUserId is null || !Changes.TryGetValue(auditEvent.Type, out var change))
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>().FindByIdAsync(auditEvent.SubjectUserId);
            if (string.IsNullOrWhiteSpace(user?.Email))
            {
                return;
            }

            var message = new MailMessageData(user.Email, $"{options.Value.DisplayName}: {change.ToLowerInvariant()}", Body(user, auditEvent, change));
            if (!outbox.HasDelivery)
            {
                await sender.SendAsync(message, cancellationToken);
            }
            else if (!outbox.TryEnqueue(message))
            {
                logger.LogWarning("The notice outbox is full; a device-change notice was dropped");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A notice that cannot be sent must not undo or fail the change it reports (which is audited anyway).
            logger.LogWarning(e, "Could not send a device-change notice");
        }
    }

    private string Body(IdpUser user, AuditEvent auditEvent, string change)
    {
        var by = auditEvent.Actor.StartsWith("user:", StringComparison.Ordinal) ? "you (signed in as yourself)" : "an administrator";
        return string.Create(CultureInfo.InvariantCulture, $"""
            Hello {user.UserName},

            {change} on your {options.Value.DisplayName} account, by {by}, on {auditEvent.At:yyyy-MM-dd HH:mm} UTC{(auditEvent.IpAddress is { } ip ? $" from {ip}" : string.Empty)}.
            {auditEvent.Details}

            If you did not expect this, tell your administrator now: someone else may be able to sign in as you.
            """);
    }
}
