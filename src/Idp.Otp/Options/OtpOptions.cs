using System.Text.Json.Serialization;
using Idp.Otp.Algorithms;

namespace Idp.Otp.Options;

/// <summary>The <c>Otp</c> configuration section. Every default here is repeated in appsettings.example.json.</summary>
public sealed class OtpOptions
{
    public const string Section = "Otp";

    /// <summary>Shown in authenticator apps. Empty: the host name of the IdP's public URL.</summary>
    public string? Issuer { get; set; }

    /// <summary>TOTP time step in seconds for new devices (15 to 300).</summary>
    public int Interval { get; set; } = 30;

    /// <summary>Extra time steps accepted on each side of the current one.</summary>
    public int Range { get; set; } = 1;

    /// <summary>Code length for new devices: 6, 7 or 8.</summary>
    public int Digits { get; set; } = 6;

    /// <summary>HMAC hash for new devices: SHA1, SHA256 or SHA512.</summary>
    public string Algorithm { get; set; } = "SHA1";

    /// <summary>Device lifetime in seconds from registration; empty or 0 means unlimited.</summary>
    public long? Ttl { get; set; }

    /// <summary>Label shown for this second factor on choice screens.</summary>
    public string Label { get; set; } = "Authenticator app";

    /// <summary>Logo file name in the theme's folder; empty for none.</summary>
    public string? Logo { get; set; }

    /// <summary>HOTP counters tried past the expected one, to resynchronise.</summary>
    public int HotpLookAhead { get; set; } = 10;

    /// <summary>Most devices one user may have.</summary>
    public int MaxDevices { get; set; } = 10;

    public int DeviceNameMaxLength { get; set; } = 20;

    /// <summary>Width and height of the QR code in pixels (Gluu's qr_options).</summary>
    public int QrSize { get; set; } = 240;

    /// <summary>Seed length in bytes for new devices; empty: the hash's output size (20, 32 or 64).</summary>
    public int? SeedLength { get; set; }

    [JsonIgnore]
    public OtpHashAlgorithm ParsedAlgorithm
        => OtpHashAlgorithmNames.TryParse(Algorithm, out var algorithm) ? algorithm : OtpHashAlgorithm.Sha1;

    [JsonIgnore]
    public int EffectiveSeedLength => SeedLength ?? OtpHashAlgorithmNames.DefaultSeedLength(ParsedAlgorithm);

    /// <summary>Authenticator apps agree only on SHA1/6 digits/30 s; others are ignored by some (Google Authenticator among them).</summary>
    [JsonIgnore]
    public bool UsesNonDefaultParameters => ParsedAlgorithm != OtpHashAlgorithm.Sha1 || Digits != 6 || Interval != 30;
}
