using Idp.Otp.Options;

namespace Idp.Otp.Tests;

public sealed class OtpOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new OtpOptionsValidator().Validate(null, new OtpOptions()).Succeeded);
    }

    [Theory]
    [InlineData(nameof(OtpOptions.Digits), "4", "Otp:Digits must be 6, 7 or 8 (got 4).")]
    [InlineData(nameof(OtpOptions.Interval), "10", "Otp:Interval must be from 15 to 300 seconds (got 10).")]
    [InlineData(nameof(OtpOptions.Range), "-1", "Otp:Range must be from 0 to 10")]
    [InlineData(nameof(OtpOptions.Algorithm), "MD5", "Otp:Algorithm must be SHA1, SHA256 or SHA512 (got \"MD5\").")]
    [InlineData(nameof(OtpOptions.Ttl), "-5", "Otp:Ttl must be")]
    [InlineData(nameof(OtpOptions.MaxDevices), "0", "Otp:MaxDevices must be")]
    [InlineData(nameof(OtpOptions.SeedLength), "8", "Otp:SeedLength must be from 16")]
    [InlineData(nameof(OtpOptions.QrSize), "50", "Otp:QrSize must be")]
    public void Validate_BadValue_MessageNamesKey(string property, string value, string expected)
    {
        var options = new OtpOptions();
        var info = typeof(OtpOptions).GetProperty(property)!;
        var type = Nullable.GetUnderlyingType(info.PropertyType) ?? info.PropertyType;
        info.SetValue(options, Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture));

        var result = new OtpOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }
}
