using Idp.Otp.Algorithms;
using Idp.Otp.Devices;

namespace Idp.Otp.Tests;

internal static class TestDevices
{
    public static OtpDevice Totp(OtpHashAlgorithm algorithm = OtpHashAlgorithm.Sha1, int digits = 6, int period = 30, long? lastStep = null) => new()
    {
        Id = "d1",
        Type = OtpDeviceType.Totp,
        Name = "Phone",
        Epoch = 1_700_000_000,
        Secret = "unused-by-the-pure-verifier",
        Algorithm = algorithm,
        Digits = digits,
        Period = period,
        LastStep = lastStep,
    };

    public static OtpDevice Hotp(long counter = 0, long? lastStep = null) => Totp() with { Type = OtpDeviceType.Hotp, Counter = counter, LastStep = lastStep };
}
