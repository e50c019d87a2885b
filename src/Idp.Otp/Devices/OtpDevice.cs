using System.Text.Json.Nodes;
using Idp.Otp.Algorithms;

namespace Idp.Otp.Devices;

/// <summary>
/// One authenticator of a user, as an entry of LemonLDAP::NG's <c>_2fDevices</c> array plus our own fields.
/// Algorithm, digits and period are fixed at enrollment, so changing the global options never breaks a phone.
/// </summary>
public sealed record OtpDevice
{
    /// <summary>Stable id ("id"); names can change, ids do not.</summary>
    public required string Id { get; init; }

    public required OtpDeviceType Type { get; init; }

    public required string Name { get; init; }

    /// <summary>Registration time in Unix seconds ("epoch", LemonLDAP::NG's field).</summary>
    public required long Epoch { get; init; }

    /// <summary>The "_secret" field as stored: <c>{idp}v1…</c> in our database; plain Base32 or <c>{llngcrypt}…</c> only while importing.</summary>
    public required string Secret { get; init; }

    public OtpHashAlgorithm Algorithm { get; init; } = OtpHashAlgorithm.Sha1;

    public int Digits { get; init; } = 6;

    /// <summary>TOTP time step in seconds.</summary>
    public int Period { get; init; } = 30;

    /// <summary>HOTP: the next counter value expected.</summary>
    public long Counter { get; init; }

    /// <summary>RFC 6238 §5.2: the last accepted time step (TOTP) or counter (HOTP); codes at or before it are refused.</summary>
    public long? LastStep { get; init; }

    /// <summary>Unix seconds of the last successful use.</summary>
    public long? LastUsed { get; init; }

    /// <summary>TOTP: the token's clock offset in time steps (RFC 6030 TimeDrift), set by a resynchronisation; 0 for phones.</summary>
    public int Drift { get; init; }

    /// <summary>A hardware token's serial ("serial"): the device belongs to the token pool and is managed there.</summary>
    public string? Serial { get; init; }

    /// <summary>Disabled by an administrator ("disabled"): listed, kept, and never accepted.</summary>
    public bool Disabled { get; init; }

    /// <summary>Fields we do not know, kept so a round trip through Idp loses nothing LemonLDAP::NG wrote.</summary>
    public JsonObject? Extra { get; init; }

    public DateTimeOffset RegisteredAt => DateTimeOffset.FromUnixTimeSeconds(Epoch);

    /// <summary>When the device stops being accepted under a device lifetime (<c>Otp:Ttl</c>), or null when unlimited.</summary>
    /// <remarks>A hardware token has no such lifetime: its key cannot leak through a phone backup, and it is retired in the pool.</remarks>
    public DateTimeOffset? ExpiresAt(long? ttlSeconds) => ttlSeconds is > 0 && Serial is null ? RegisteredAt.AddSeconds(ttlSeconds.Value) : null;

    public bool IsExpired(long? ttlSeconds, DateTimeOffset now) => ExpiresAt(ttlSeconds) is { } expiry && expiry <= now;
}
