namespace Idp.Hosting;

/// <summary><c>Idp:RateLimits</c>: requests per client address, on top of per-account lockouts.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Posts of the sign-in, code, step-up, setup and /2fregisters forms per client address per minute, on top of per-account lockout.</summary>
    public int SignInPerMinute { get; set; } = 30;

    /// <summary>/connect/authorize requests per client address per minute.</summary>
    public int AuthorizePerMinute { get; set; } = 600;

    /// <summary>/connect/token requests per client address per minute (an app server refreshes for all its users from one address).</summary>
    public int TokenPerMinute { get; set; } = 6000;

    /// <summary>/connect/introspect and /connect/revoke requests per client address per minute (a resource server may introspect on every call).</summary>
    public int TokenInspectionPerMinute { get; set; } = 12000;

    /// <summary>/api/admin requests per client address per minute.</summary>
    public int AdminApiPerMinute { get; set; } = 600;

    /// <summary>Requests to /validate/* per minute from one address.</summary>
    public int ValidationPerMinute { get; set; } = 6000;

    /// <summary>IPv6 addresses are counted by this many leading bits (a customer's /64 is one source).</summary>
    public int IPv6PrefixLength { get; set; } = 64;
}
