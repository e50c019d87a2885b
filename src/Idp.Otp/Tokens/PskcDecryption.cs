namespace Idp.Otp.Tokens;

/// <summary>How the secrets of an encrypted PSKC file are opened: a pre-shared key (RFC 6030 §6.1) or a password (§6.2).</summary>
public sealed record PskcDecryption(byte[]? PreSharedKey, string? Password)
{
    public static PskcDecryption None { get; } = new(null, null);

    /// <summary>
    /// Import even when a ValueMAC does not match (a vendor's known-broken MAC). Off: a mismatch refuses the file,
    /// as a wrong key or a corrupted value would otherwise import a secret that never produces a right code.
    /// </summary>
    public bool IgnoreMacMismatch { get; init; }
}
