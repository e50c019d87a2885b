namespace Idp.Accounts;

/// <summary><c>Idp:Password</c>: the rules for new passwords.</summary>
public sealed class PasswordOptions
{
    /// <summary>Minimum length; no composition rules (NIST SP 800-63B §5.1.1.2 prefers length to character classes).</summary>
    public int MinLength { get; set; } = 12;

    public int MaxLength { get; set; } = 256;
}
