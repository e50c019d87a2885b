namespace Idp.Radius;

/// <summary>The <c>Idp:Radius</c> section: the built-in RADIUS server (RFC 2865, PAP), off by default.</summary>
public sealed class RadiusSettings
{
    public bool Enabled { get; set; }

    /// <summary>The address to listen on.</summary>
    public string Address { get; set; } = "0.0.0.0";

    /// <summary>UDP port; 1812 is RADIUS authentication's (RFC 2865 §3).</summary>
    public int Port { get; set; } = 1812;

    public List<RadiusClientSettings> Clients { get; set; } = [];

    /// <summary>
    /// Drop Access-Requests without a valid Message-Authenticator (RFC 3579 §3.2): the BlastRADIUS mitigation
    /// (CVE-2024-3596). On by default; turn off only for clients that cannot send it.
    /// </summary>
    public bool RequireMessageAuthenticator { get; set; } = true;

    /// <summary>How long an answer is kept to repeat it for a retransmitted request (RFC 5080 §2.2.2).</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromSeconds(5);
}
