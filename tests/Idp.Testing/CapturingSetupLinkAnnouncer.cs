using Idp.Accounts;

namespace Idp.Testing;

/// <summary>Keeps the setup links the app would print, so a test can follow them like the person at the console.</summary>
public sealed class CapturingSetupLinkAnnouncer : ISetupLinkAnnouncer
{
    private readonly List<Uri> _links = [];

    public IReadOnlyList<Uri> Links
    {
        get
        {
            lock (_links)
            {
                return [.. _links];
            }
        }
    }

    public void Announce(Uri link, DateTimeOffset expiresAt)
    {
        lock (_links)
        {
            _links.Add(link);
        }
    }
}
