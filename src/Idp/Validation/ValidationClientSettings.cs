namespace Idp.Validation;

/// <summary>One system allowed to ask <c>/validate/*</c> (<c>Idp:Validation:Clients:N</c>): a VPN concentrator, a RADIUS or PAM host.</summary>
public sealed class ValidationClientSettings
{
    /// <summary>Named in the audit trail and the CLI.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The addresses it asks from: IP addresses or CIDR networks. Required.</summary>
    public List<string> Networks { get; set; } = [];

    /// <summary>Optional: sent in the <c>X-Idp-Validation-Secret</c> header; at least 16 characters.</summary>
    public string? Secret { get; set; }

    /// <summary><c>userstore</c> (default), <c>none</c> or <c>challenge</c>: see <see cref="Validation.PassPolicy"/>.</summary>
    public string PassPolicy { get; set; } = "userstore";

    /// <summary>Migration aid, off by default: a user without a usable second factor passes with the password alone (audited).</summary>
    public bool Passthru { get; set; }

    /// <summary>
    /// Off by default (privacyIDEA's passthru_assign): a user with no second factor at all who sends their password
    /// followed by a code from an unassigned pool token gets that token, among Idp:Validation:PassthruAssignCandidates
    /// tokens only, through the guarded path (audited). Not with <see cref="Passthru"/>.
    /// </summary>
    public bool PassthruAssign { get; set; }
}
