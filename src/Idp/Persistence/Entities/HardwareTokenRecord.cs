namespace Idp.Persistence.Entities;

/// <summary>
/// A hardware token of the pool, imported from a PSKC (RFC 6030) or OATH CSV file. Unassigned, this row is the token;
/// assigned, the user's second-factor document holds it as a device with this serial (the verifier reads only the
/// document), and this row records whose it is, mirrors its state for listing, and keeps what the pool needs to take
/// it back or export it. Both are changed in one transaction.
/// </summary>
public sealed class HardwareTokenRecord
{
    public required string Serial { get; set; }

    /// <summary>"hotp" or "totp".</summary>
    public required string Type { get; set; }

    /// <summary>"SHA1", "SHA256" or "SHA512".</summary>
    public required string Algorithm { get; set; }

    public int Digits { get; set; }

    /// <summary>TOTP time step in seconds.</summary>
    public int Period { get; set; }

    /// <summary>HOTP: the next counter expected, as of the last time the pool held the token.</summary>
    public long Counter { get; set; }

    /// <summary>TOTP: the clock offset in steps (PSKC TimeDrift, or found by a resynchronisation).</summary>
    public int Drift { get; set; }

    /// <summary>The last step accepted, so that a code used before a token went back to the pool is not accepted again.</summary>
    public long? LastStep { get; set; }

    /// <summary>The seed, encrypted under the secret key (<c>{idp}v1…</c>, purpose OtpSeed), as every seed is.</summary>
    public required string Secret { get; set; }

    public string? Manufacturer { get; set; }

    public string? Issuer { get; set; }

    public bool Disabled { get; set; }

    /// <summary>Whose it is; null while it waits in the pool.</summary>
    public string? UserId { get; set; }

    /// <summary>The device's id in the user's document while assigned.</summary>
    public string? DeviceId { get; set; }

    public DateTime ImportedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
