namespace Idp.Accounts.Notices;

/// <summary>
/// <c>Idp:Mail</c>: how Idp sends e-mail (notices to users when their second-factor devices change). Off unless
/// <see cref="Host"/> or <see cref="PickupDirectory"/> is set.
/// </summary>
public sealed class MailSettings
{
    /// <summary>SMTP server; empty: no SMTP.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>STARTTLS (or TLS) to the SMTP server.</summary>
    public bool UseTls { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Sender address, e.g. "Idp &lt;idp@example.com&gt;". Required when mail is on.</summary>
    public string? From { get; set; }

    /// <summary>Instead of SMTP, write each message as an .eml file here (a local MTA's pickup folder).</summary>
    public string? PickupDirectory { get; set; }

    public bool IsEnabled() => !string.IsNullOrWhiteSpace(Host) || !string.IsNullOrWhiteSpace(PickupDirectory);
}
