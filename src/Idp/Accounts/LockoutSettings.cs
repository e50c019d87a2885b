namespace Idp.Accounts;

/// <summary><c>Idp:Lockout</c>: the password lockout, apart from the second factor's own budget (<c>Otp:MaxFailures</c>).</summary>
public sealed class LockoutSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>Wrong passwords in a row before the account locks.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
