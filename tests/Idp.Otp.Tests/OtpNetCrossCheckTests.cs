using Idp.Otp.Algorithms;

namespace Idp.Otp.Tests;

/// <summary>
/// Otp.NET, an independent HOTP/TOTP implementation, as an oracle: on 10,000 random cases (key length, algorithm,
/// digits, counter, time and step) Idp's codes equal its codes. Production keeps Idp's own verifier: it compares in
/// constant time and reuses keyed HMACs, which Otp.NET does not.
/// </summary>
public sealed class OtpNetCrossCheckTests
{
    private const int Cases = 10_000;

    [Fact]
    public void IdpsHotpAndTotpCodes_EqualOtpNets_OnRandomCases()
    {
        var random = new Random(4226);
        var mismatches = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var key = new byte[random.Next(10, 65)];
            random.NextBytes(key);
            var algorithm = (OtpHashAlgorithm)random.Next(3);
            var mode = algorithm switch
            {
                OtpHashAlgorithm.Sha256 => OtpNet.OtpHashMode.Sha256,
                OtpHashAlgorithm.Sha512 => OtpNet.OtpHashMode.Sha512,
                _ => OtpNet.OtpHashMode.Sha1,
            };
            var digits = random.Next(6, 9);
            var counter = random.NextInt64(0, long.MaxValue);
            var step = random.Next(2) == 0 ? 30 : 60;
            // Up to the year 2514: past 2038 and past 32-bit time steps.
            var time = DateTimeOffset.FromUnixTimeSeconds(random.NextInt64(0, 17_000_000_000));

            var hotp = Hotp.Format(Hotp.ComputeCode(key, counter, digits, algorithm), digits);
            var totp = Hotp.Format(Totp.ComputeCode(key, time, step, digits, algorithm), digits);
            var expectedHotp = new OtpNet.Hotp(key, mode, digits).ComputeHOTP(counter);
            var expectedTotp = new OtpNet.Totp(key, step, mode, digits).ComputeTotp(time.UtcDateTime);

            if (hotp != expectedHotp || totp != expectedTotp)
            {
                mismatches.Add($"case {i}: {algorithm}, {digits} digits, counter {counter}, time {time.ToUnixTimeSeconds()} step {step}: Idp {hotp}/{totp}, Otp.NET {expectedHotp}/{expectedTotp}");
            }
        }

        Assert.Empty(mismatches);
    }
}
