namespace Idp.Radius;

/// <summary>One RADIUS client (NAS) allowed to ask (<c>Idp:Radius:Clients:N</c>): a VPN concentrator, a PAM host.</summary>
public sealed class RadiusClientSettings
{
    /// <summary>Named in the audit trail and the CLI.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The addresses it sends from: IP addresses or CIDR networks. Required.</summary>
    public List<string> Networks { get; set; } = [];

    /// <summary>The shared secret (RFC 2865 §3), at least 16 characters: one per client, never shared between them.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary><c>userstore</c> (default: User-Password is password‖code), <c>none</c> (the code alone) or <c>challenge</c> (Access-Challenge for the code).</summary>
    public string PassPolicy { get; set; } = "userstore";

    /// <summary>Overrides <c>Idp:Radius:RequireMessageAuthenticator</c> for this client (for a NAS too old to send it, such as pam_radius_auth before 3.0).</summary>
    public bool? RequireMessageAuthenticator { get; set; }

    /// <summary>Migration aid, off by default: a user without a usable second factor passes with the password alone (audited).</summary>
    public bool Passthru { get; set; }

    /// <summary>As Idp:Validation:Clients:N:PassthruAssign: a pool token assigned at its first use. Off by default; not with <see cref="Passthru"/>.</summary>
    public bool PassthruAssign { get; set; }
}
