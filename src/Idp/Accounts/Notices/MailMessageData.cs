namespace Idp.Accounts.Notices;

/// <summary>One plain-text message waiting to be sent.</summary>
internal sealed record MailMessageData(string To, string Subject, string Body);
