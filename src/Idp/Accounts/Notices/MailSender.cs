using System.Net;
using System.Net.Mail;
using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.Notices;

/// <summary>Sends one message by SMTP or into the pickup folder (<see cref="MailSettings"/>).</summary>
internal sealed class MailSender(IOptions<IdpOptions> options)
{
    public async Task SendAsync(MailMessageData message, CancellationToken cancellationToken)
    {
        var settings = options.Value.Mail;
        using var mail = new MailMessage(settings.From!, message.To, message.Subject, message.Body);
        using var client = new SmtpClient();
        if (!string.IsNullOrWhiteSpace(settings.PickupDirectory))
        {
            Directory.CreateDirectory(settings.PickupDirectory);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = Path.GetFullPath(settings.PickupDirectory);
        }
        else
        {
            client.Host = settings.Host!;
            client.Port = settings.Port;
            client.EnableSsl = settings.UseTls;
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                client.Credentials = new NetworkCredential(settings.UserName, settings.Password);
            }
        }

        await client.SendMailAsync(mail, cancellationToken);
    }
}
