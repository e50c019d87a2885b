using Idp.Otp.Algorithms;

namespace Idp.Otp.Tests;

public sealed class OtpCodeInputTests
{
    [Theory]
    [InlineData("123456", 123456)]
    [InlineData("123 456", 123456)]
    [InlineData("123-456", 123456)]
    [InlineData(" 012345 ", 12345)]
    public void TryParse_SixDigitsWithSeparators_Accepted(string raw, int expected)
    {
        Assert.True(OtpCodeInput.TryParse(raw, 6, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12345a")]
    [InlineData("١٢٣٤٥٦")] // Arabic-Indic digits are digits to char.IsDigit, not to us
    [InlineData("１２３４５６")] // full-width digits
    [InlineData("123456789012345678901234567890123")] // over the raw length limit
    public void TryParse_NotExactlySixAsciiDigits_Refused(string? raw)
    {
        Assert.False(OtpCodeInput.TryParse(raw, 6, out _));
    }

    [Fact]
    public void LooksLikeCode_EightDigits_True()
    {
        Assert.True(OtpCodeInput.LooksLikeCode("1234 5678"));
        Assert.False(OtpCodeInput.LooksLikeCode("12345"));
    }
}
