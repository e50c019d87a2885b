namespace Idp.Accounts;

/// <summary>Where the one-time first-administrator link goes. It holds a secret, so it is printed, never logged.</summary>
internal interface ISetupLinkAnnouncer
{
    void Announce(Uri link, DateTimeOffset expiresAt);
}
