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

    /// <summary>
    /// How long after expiring (Otp:Ttl) a device's code still proves possession so that its owner can enroll a
    /// replacement; after that only an administrator's removal of the expired device reopens enrollment.
    /// </summary>
    public TimeSpan ExpiredGracePeriod { get; set; } = TimeSpan.FromDays(30);

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

    /// <summary>Who must pass the second factor at sign-in. Clients with RequireSecondFactor force it for their users anyway.</summary>
    public OtpActivation Activation { get; set; } = OtpActivation.Enrolled;

    /// <summary>Roles whose members must use a second factor (and enroll one) whatever Activation says.</summary>
    public List<string> RequiredRoles { get; set; } = [];

    /// <summary>How long the code page waits after the password before the sign-in starts over.</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Wrong codes on one code page before the person is sent back to the password page.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>Wrong codes for one user within FailureWindow before their second factor locks.</summary>
    public int MaxFailures { get; set; } = 10;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>First lock duration; each further lock doubles it (at most a day). An admin can clear it.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Users may register devices themselves at /2fregisters.</summary>
    public bool SelfRegistration { get; set; } = true;

    /// <summary>Users may remove their own devices (after a fresh code).</summary>
    public bool UserCanRemoveKey { get; set; } = true;

    /// <summary>Show an already registered secret again (LemonLDAP::NG option; off: a secret is shown only at enrollment).</summary>
    public bool DisplayExistingSecret { get; set; }

    /// <summary>Let users replace an existing device's secret in place (LemonLDAP::NG option).</summary>
    public bool UserCanChangeKey { get; set; }

    [JsonIgnore]
    public OtpHashAlgorithm ParsedAlgorithm
        => OtpHashAlgorithmNames.TryParse(Algorithm, out var algorithm) ? algorithm : OtpHashAlgorithm.Sha1;

    [JsonIgnore]
    public int EffectiveSeedLength => SeedLength ?? OtpHashAlgorithmNames.DefaultSeedLength(ParsedAlgorithm);
}
