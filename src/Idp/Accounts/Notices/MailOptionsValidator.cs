using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.Notices;

/// <summary>Start-up checks of <c>Idp:Mail</c> (only when mail is on); each message names the key.</summary>
internal sealed class MailOptionsValidator : IValidateOptions<IdpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var mail = options.Mail;
        if (!mail.IsEnabled())
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(mail.Host) && !string.IsNullOrWhiteSpace(mail.PickupDirectory))
        {
            errors.Add("Idp:Mail: set Host (SMTP) or PickupDirectory, not both.");
        }

        if (string.IsNullOrWhiteSpace(mail.From) || !System.Net.Mail.MailAddress.TryCreate(mail.From, out _))
        {
            errors.Add($"Idp:Mail:From must be an e-mail address when mail is on (got \"{mail.From}\").");
        }

        if (mail.Port is < 1 or > 65535)
        {
            errors.Add($"Idp:Mail:Port must be from 1 to 65535 (got {mail.Port}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
