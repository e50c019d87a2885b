using Idp.Otp.Algorithms;
using Idp.Otp.Devices;

namespace Idp.Otp.Tokens;

/// <summary>
/// One hardware token as a token file describes it (PSKC, RFC 6030; or OATH CSV): its serial, its OATH parameters
/// and its decrypted secret. A TOTP token's <see cref="Drift"/> is in steps of <see cref="Period"/> seconds (PSKC
/// TimeDrift); an HOTP token's <see cref="Counter"/> is the next counter value.
/// </summary>
public sealed record TokenSeed(
    string Serial,
    OtpDeviceType Type,
    OtpHashAlgorithm Algorithm,
    int Digits,
    long Counter,
    int Period,
    int Drift,
    byte[] Secret)
{
    public string? Manufacturer { get; init; }

    public string? Issuer { get; init; }

    /// <summary>The user an OATH CSV row assigns the token to at import; null: it waits in the pool.</summary>
    public string? User { get; init; }
}
