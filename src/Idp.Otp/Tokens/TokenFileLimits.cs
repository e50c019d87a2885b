namespace Idp.Otp.Tokens;

/// <summary>What a token file may hold: bounded, so an upload cannot exhaust memory or time.</summary>
public static class TokenFileLimits
{
    /// <summary>10 MB: about 20,000 PSKC key packages, more than one delivery of tokens.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    public const int MaxTokens = 50_000;

    public const int MaxSerialLength = 64;

    /// <summary>RFC 4226 §4, R6: "The length of the shared secret MUST be at least 128 bits" (OATH tokens ship 160).</summary>
    public const int MinSecretBytes = 16;

    /// <summary>An HOTP counter beyond this is no real token's (2^48 presses), and near long.MaxValue the counter arithmetic would overflow.</summary>
    public const long MaxCounter = Devices.DeviceImporter.MaxCounter;

    /// <summary>A TOTP drift beyond this many steps is a broken clock, not a drifting one (RFC 6030 TimeDrift).</summary>
    public const int MaxDrift = 1000;

    /// <summary>HMAC keys longer than a SHA-512 block are hashed first (RFC 2104 §3); no OATH token has one.</summary>
    public const int MaxSecretBytes = 128;

    /// <summary>A PBKDF2 iteration count above this would hold the importer for minutes (RFC 8018 suggests 1000 at least).</summary>
    public const int MaxPbkdf2Iterations = 10_000_000;
}
