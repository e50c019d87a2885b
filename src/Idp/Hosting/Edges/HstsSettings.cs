namespace Idp.Hosting;

/// <summary><c>Idp:Hsts</c>: Strict-Transport-Security (RFC 6797), sent outside Development when the issuer is https.</summary>
public sealed class HstsSettings
{
    /// <summary>How long browsers keep to https for this host; 0 sends no header.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Also every subdomain: only when all of them serve https.</summary>
    public bool IncludeSubDomains { get; set; }
}
