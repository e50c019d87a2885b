using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Tokens;
using Idp.Persistence.Entities;

namespace Idp.Tokens;

/// <summary>Between the pool's rows and the OTP plugin's terms.</summary>
internal static class TokenRecords
{
    public static HardwareTokenRecord FromSeed(TokenSeed seed, string protectedSecret, DateTime now) => new()
    {
        Serial = seed.Serial,
        Type = TypeName(seed.Type),
        Algorithm = OtpHashAlgorithmNames.ToName(seed.Algorithm),
        Digits = seed.Digits,
        Period = seed.Period,
        Counter = seed.Counter,
        Drift = seed.Drift,
        Secret = protectedSecret,
        Manufacturer = Clip(seed.Manufacturer),
        Issuer = Clip(seed.Issuer),
        ImportedAt = now,
        UpdatedAt = now,
    };

    public static TokenDevice ToDevice(HardwareTokenRecord row) => new(
        row.Serial, Type(row.Type), Algorithm(row.Algorithm), row.Digits, row.Period, row.Counter, row.Drift, row.LastStep, row.Secret, row.Disabled);

    /// <summary>The token as a file entry, with its current state and the given (decrypted) secret.</summary>
    public static TokenSeed ToSeed(HardwareTokenRecord row, OtpDevice? device, byte[] secret)
        => new(row.Serial, Type(row.Type), Algorithm(row.Algorithm), row.Digits, device?.Counter ?? row.Counter, row.Period, device?.Drift ?? row.Drift, secret)
        {
            Manufacturer = row.Manufacturer,
            Issuer = row.Issuer,
        };

    public static string TypeName(OtpDeviceType type) => type == OtpDeviceType.Totp ? "totp" : "hotp";

    public static OtpDeviceType Type(string name) => name == "totp" ? OtpDeviceType.Totp : OtpDeviceType.Hotp;

    private static OtpHashAlgorithm Algorithm(string name)
        => OtpHashAlgorithmNames.TryParse(name, out var algorithm) ? algorithm : throw new InvalidOperationException($"the stored algorithm \"{name}\" is unknown");

    private static string? Clip(string? text) => text is { Length: > 128 } ? text[..128] : text;
}
