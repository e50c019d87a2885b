namespace Idp.Accounts;

/// <summary><c>Idp:Setup</c>: the first-administrator link.</summary>
public sealed class SetupOptions
{
    /// <summary>How long the first-administrator link printed at start-up stays valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);
}
