namespace Idp.Hosting;

/// <summary>The <c>Idp</c> configuration section. Defaults here are repeated in appsettings.example.json.</summary>
public sealed class IdpOptions
{
    public const string Section = "Idp";

    /// <summary>The public base URL (OIDC issuer). Required outside Development; https, or http on a loopback host.</summary>
    public string? Issuer { get; set; }

    /// <summary>Folder name under themes/.</summary>
    public string Theme { get; set; } = "default";

    /// <summary>Where themes are read from; empty: the themes folder shipped next to the binary.</summary>
    public string? ThemesPath { get; set; }

    /// <summary>Product name shown in page titles and headers.</summary>
    public string DisplayName { get; set; } = "Idp";

    public SecretsOptions Secrets { get; set; } = new();

    public Accounts.SetupOptions Setup { get; set; } = new();

    public Accounts.PasswordOptions Password { get; set; } = new();

    public Accounts.LockoutSettings Lockout { get; set; } = new();

    public Accounts.SessionOptions Session { get; set; } = new();

    public RateLimitSettings RateLimits { get; set; } = new();

    public RequestLimitSettings Limits { get; set; } = new();

    public HstsSettings Hsts { get; set; } = new();

    public Oidc.Tokens.TokenSettings Tokens { get; set; } = new();

    public Oidc.Protocol.AcrSettings Acr { get; set; } = new();

    public Admin.AdminSettings Admin { get; set; } = new();

    public Audit.AuditSettings Audit { get; set; } = new();

    /// <summary>The LinOTP/privacyIDEA-compatible /validate API; off while no client is listed.</summary>
    public Validation.ValidationSettings Validation { get; set; } = new();

    /// <summary>The built-in RADIUS server (RFC 2865); off unless Enabled.</summary>
    public Radius.RadiusSettings Radius { get; set; } = new();

    public Accounts.Notices.MailSettings Mail { get; set; } = new();

    /// <summary>OpenTelemetry metrics: an OTLP endpoint and an opt-in Prometheus scraping endpoint.</summary>
    public Telemetry.MetricsSettings Metrics { get; set; } = new();

    /// <summary>The relying parties. See Oidc/Clients/ClientOptions.cs for each field.</summary>
    public List<Oidc.Clients.ClientOptions> Clients { get; set; } = [];

    /// <summary>Proxies whose X-Forwarded-* headers are believed: IP addresses or CIDR networks. Empty: none, the headers are ignored.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>How many proxies stand in front (X-Forwarded-For entries read from the right); more than needed lets a client behind a listed range pick its address.</summary>
    public int ForwardLimit { get; set; } = 1;
}
