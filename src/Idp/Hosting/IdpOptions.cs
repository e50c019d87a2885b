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

    public SetupOptions Setup { get; set; } = new();

    public PasswordOptions Password { get; set; } = new();

    public LockoutSettings Lockout { get; set; } = new();

    public SessionOptions Session { get; set; } = new();

    public RateLimitSettings RateLimits { get; set; } = new();

    public RequestLimitSettings Limits { get; set; } = new();

    public HstsSettings Hsts { get; set; } = new();

    public TokenSettings Tokens { get; set; } = new();

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

public sealed class SecretsOptions
{
    /// <summary>File holding the Base64 of 32 random bytes: the key that encrypts OTP seeds and signing keys. Never in the database.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The same value given directly (e.g. the environment variable Idp__Secrets__Key). KeyFile wins when both are set.</summary>
    public string? Key { get; set; }

    /// <summary>Keys being retired: they still decrypt until `secrets reencrypt` has rewritten everything under the current key.</summary>
    public List<string> PreviousKeyFiles { get; set; } = [];
}

public sealed class SetupOptions
{
    /// <summary>How long the first-administrator link printed at start-up stays valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);
}

public sealed class PasswordOptions
{
    /// <summary>Minimum length; no composition rules (NIST SP 800-63B §5.1.1.2 prefers length to character classes).</summary>
    public int MinLength { get; set; } = 12;

    public int MaxLength { get; set; } = 256;
}

public sealed class LockoutSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>Wrong passwords in a row before the account locks.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class SessionOptions
{
    /// <summary>Idle time after which the sign-in session ends (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);
}

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

public sealed class TokenSettings
{
    /// <summary>RS256 (every client library) or ES256 (faster); a client may choose its own.</summary>
    public string SigningAlgorithm { get; set; } = "RS256";

    /// <summary>RFC 6749 §4.1.2 recommends at most 10 minutes; one is plenty for a redirect.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a sign-in started by an app may take (password, second factor, consent) before it must start over.</summary>
    public TimeSpan InteractionLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A new signing key is made this often.</summary>
    public TimeSpan KeyRotationInterval { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A new key is published in JWKS this long before it signs, so relying parties have it cached.</summary>
    public TimeSpan KeyPublishAhead { get; set; } = TimeSpan.FromDays(2);
}
