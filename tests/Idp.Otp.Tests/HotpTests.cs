using System.Text;
using Idp.Otp.Algorithms;

namespace Idp.Otp.Tests;

/// <summary>RFC 4226 Appendix D: secret "12345678901234567890", counters 0 to 9.</summary>
public sealed class HotpTests
{
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(0, "755224")]
    [InlineData(1, "287082")]
    [InlineData(2, "359152")]
    [InlineData(3, "969429")]
    [InlineData(4, "338314")]
    [InlineData(5, "254676")]
    [InlineData(6, "287922")]
    [InlineData(7, "162583")]
    [InlineData(8, "399871")]
    [InlineData(9, "520489")]
    public void ComputeCode_Rfc4226AppendixD_MatchesHotpValue(long counter, string expected)
    {
        var code = Hotp.ComputeCode(Secret, counter, 6, OtpHashAlgorithm.Sha1);

        Assert.Equal(expected, Hotp.Format(code, 6));
    }

    // RFC 4226 Appendix D, "Truncated" table: the 31-bit value before the modulo.
    [Theory]
    [InlineData("cc93cf18508d94934c64b65d8ba7667fb7cde4b0", 1284755224)]
    [InlineData("75a48a19d4cbe100644e8ac1397eea747a2d33ab", 1094287082)]
    [InlineData("0bacb7fa082fef30782211938bc1c5e70416ff44", 137359152)]
    [InlineData("66c28227d03a2d5529262ff016a1e6ef76557ece", 1726969429)]
    [InlineData("a904c900a64b35909874b33e61c5938a8e15ed1c", 1640338314)]
    [InlineData("a37e783d7b7233c083d4f62926c7a25f238d0316", 868254676)]
    [InlineData("bc9cd28561042c83f219324d3c607256c03272ae", 1918287922)]
    [InlineData("a4fb960c0bc06e1eabb804e5b397cdc4b45596fa", 82162583)]
    [InlineData("1b3c89f65e6c9e883012052823443f048b4332db", 673399871)]
    [InlineData("1637409809a679dc698207310c8c7fc07290d9e5", 645520489)]
    public void DynamicTruncation_Rfc4226AppendixD_MatchesTruncatedValue(string hmacHex, int expected)
    {
        Assert.Equal(expected, Hotp.DynamicTruncation(Convert.FromHexString(hmacHex)));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    public void ComputeCode_DigitsOutsideSixToEight_Throws(int digits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hotp.ComputeCode(Secret, 0, digits, OtpHashAlgorithm.Sha1));
    }

    [Fact]
    public void Format_SmallCode_IsZeroPadded()
    {
        Assert.Equal("000042", Hotp.Format(42, 6));
    }
}
