using System.Security.Cryptography;

namespace Idp.Otp.Enrollment;

/// <summary>New seeds from the OS CSPRNG (RFC 4226 §7.5: keys MUST be random).</summary>
public static class OtpSecretGenerator
{
    public static byte[] NewSeed(int length) => RandomNumberGenerator.GetBytes(length);

    /// <summary>A stable device id: 16 random bytes, hex.</summary>
    public static string NewDeviceId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
