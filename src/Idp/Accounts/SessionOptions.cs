namespace Idp.Accounts;

/// <summary><c>Idp:Session</c>: the sign-in session.</summary>
public sealed class SessionOptions
{
    /// <summary>Idle time after which the sign-in session ends (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);
}
