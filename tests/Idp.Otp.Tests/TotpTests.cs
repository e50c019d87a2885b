using System.Text;
using Idp.Otp.Algorithms;

namespace Idp.Otp.Tests;

/// <summary>RFC 6238 Appendix B: 8 digits, 30 s steps, with the 20/32/64-byte seeds for SHA-1/256/512.</summary>
public sealed class TotpTests
{
    private static byte[] Seed(OtpHashAlgorithm algorithm) => algorithm switch
    {
        OtpHashAlgorithm.Sha1 => Encoding.ASCII.GetBytes("12345678901234567890"),
        OtpHashAlgorithm.Sha256 => Encoding.ASCII.GetBytes("12345678901234567890123456789012"),
        _ => Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234"),
    };

    [Theory]
    [InlineData(59L, "0000000000000001", "94287082", OtpHashAlgorithm.Sha1)]
    [InlineData(59L, "0000000000000001", "46119246", OtpHashAlgorithm.Sha256)]
    [InlineData(59L, "0000000000000001", "90693936", OtpHashAlgorithm.Sha512)]
    [InlineData(1111111109L, "00000000023523EC", "07081804", OtpHashAlgorithm.Sha1)]
    [InlineData(1111111109L, "00000000023523EC", "68084774", OtpHashAlgorithm.Sha256)]
    [InlineData(1111111109L, "00000000023523EC", "25091201", OtpHashAlgorithm.Sha512)]
    [InlineData(1111111111L, "00000000023523ED", "14050471", OtpHashAlgorithm.Sha1)]
    [InlineData(1111111111L, "00000000023523ED", "67062674", OtpHashAlgorithm.Sha256)]
    [InlineData(1111111111L, "00000000023523ED", "99943326", OtpHashAlgorithm.Sha512)]
    [InlineData(1234567890L, "000000000273EF07", "89005924", OtpHashAlgorithm.Sha1)]
    [InlineData(1234567890L, "000000000273EF07", "91819424", OtpHashAlgorithm.Sha256)]
    [InlineData(1234567890L, "000000000273EF07", "93441116", OtpHashAlgorithm.Sha512)]
    [InlineData(2000000000L, "0000000003F940AA", "69279037", OtpHashAlgorithm.Sha1)]
    [InlineData(2000000000L, "0000000003F940AA", "90698825", OtpHashAlgorithm.Sha256)]
    [InlineData(2000000000L, "0000000003F940AA", "38618901", OtpHashAlgorithm.Sha512)]
    [InlineData(20000000000L, "0000000027BC86AA", "65353130", OtpHashAlgorithm.Sha1)]
    [InlineData(20000000000L, "0000000027BC86AA", "77737706", OtpHashAlgorithm.Sha256)]
    [InlineData(20000000000L, "0000000027BC86AA", "47863826", OtpHashAlgorithm.Sha512)]
    public void ComputeCode_Rfc6238AppendixB_MatchesTable(long unixTime, string stepHex, string expected, OtpHashAlgorithm algorithm)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(unixTime);

        Assert.Equal(Convert.ToInt64(stepHex, 16), Totp.TimeStep(now, 30));
        Assert.Equal(expected, Hotp.Format(Totp.ComputeCode(Seed(algorithm), now, 30, 8, algorithm), 8));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(29, 0)]
    [InlineData(30, 1)]
    [InlineData(59, 1)]
    [InlineData(60, 2)]
    public void TimeStep_StepBoundaries_FloorDivision(long unixTime, long expected)
    {
        Assert.Equal(expected, Totp.TimeStep(DateTimeOffset.FromUnixTimeSeconds(unixTime), 30));
    }
}
