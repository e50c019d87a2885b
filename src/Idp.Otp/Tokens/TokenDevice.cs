using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Enrollment;

namespace Idp.Otp.Tokens;

/// <summary>What the pool knows of a token, in the OTP plugin's terms: enough to make it a device or to have been one.</summary>
/// <param name="Secret">The seed as stored: encrypted under the secret key (purpose OtpSeed).</param>
public sealed record TokenDevice(
    string Serial,
    OtpDeviceType Type,
    OtpHashAlgorithm Algorithm,
    int Digits,
    int Period,
    long Counter,
    int Drift,
    long? LastStep,
    string Secret,
    bool Disabled)
{
    public OtpDevice ToDevice(DateTimeOffset now) => new()
    {
        Id = OtpSecretGenerator.NewDeviceId(),
        Type = Type,
        Name = $"Token {Serial}",
        Epoch = now.ToUnixTimeSeconds(),
        Secret = Secret,
        Algorithm = Algorithm,
        Digits = Digits,
        Period = Period,
        Counter = Counter,
        Drift = Drift,
        LastStep = LastStep,
        Serial = Serial,
        Disabled = Disabled,
    };

    /// <summary>The token as a device last left it: what the pool keeps when it takes the token back.</summary>
    public static TokenDevice From(OtpDevice device) => new(
        device.Serial ?? throw new ArgumentException("not a token", nameof(device)),
        device.Type, device.Algorithm, device.Digits, device.Period, device.Counter, device.Drift, device.LastStep, device.Secret, device.Disabled);
}
