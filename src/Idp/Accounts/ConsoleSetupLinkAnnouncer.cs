namespace Idp.Accounts;

/// <summary>Prints the setup link on the console for the person who started the server.</summary>
internal sealed class ConsoleSetupLinkAnnouncer : ISetupLinkAnnouncer
{
    public void Announce(Uri link, DateTimeOffset expiresAt)
    {
        Console.WriteLine();
        Console.WriteLine("  No administrator exists yet. Open this one-time link to create the first one");
        Console.WriteLine($"  (valid until {expiresAt:yyyy-MM-dd HH:mm} UTC, usable once):");
        Console.WriteLine();
        Console.WriteLine($"    {link}");
        Console.WriteLine();
    }
}
