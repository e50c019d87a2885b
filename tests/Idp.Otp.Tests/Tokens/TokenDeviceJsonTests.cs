using Idp.Otp.Devices;

namespace Idp.Otp.Tests.Tokens;

/// <summary>A hardware token's fields in the <c>_2fDevices</c> record: "serial", "disabled" and "drift" written and read back, bad values refused.</summary>
public sealed class TokenDeviceJsonTests
{
    [Fact]
    public void ATokensFields_SurviveARoundTrip_AndAPhonesRecordCarriesNone()
    {
        var token = TestDevices.Totp() with { Serial = "HW-0001", Disabled = true, Drift = -4 };
        var phone = TestDevices.Totp() with { Id = "d2", Name = "Phone 2" };

        var json = OtpDeviceJson.Write(new OtpDeviceDocument([token, phone], []));
        Assert.True(OtpDeviceJson.TryRead(json, out var read, out var errors), string.Join("; ", errors));

        Assert.Equal(("HW-0001", true, -4), (read.Devices[0].Serial, read.Devices[0].Disabled, read.Devices[0].Drift));
        Assert.Equal((null, false, 0), (read.Devices[1].Serial, read.Devices[1].Disabled, read.Devices[1].Drift));
        Assert.DoesNotContain("\"disabled\":false", json, StringComparison.Ordinal);
        Assert.Equal(1, json.Split("\"serial\"").Length - 1);
    }

    [Theory]
    [InlineData("\"serial\":\"\"", "\"serial\" must be 1 to 64 printable characters")]
    [InlineData("\"serial\":\" padded\"", "\"serial\" must be 1 to 64")]
    [InlineData("\"disabled\":\"yes\"", "\"disabled\" must be true or false")]
    [InlineData("\"drift\":99999", "\"drift\" must be a whole number from -2880 to 2880")]
    public void BadTokenFields_AreRefused(string field, string expected)
    {
        var json = $$"""[{"type":"TOTP","name":"Token","epoch":1700000000,"_secret":"x",{{field}}}]""";

        Assert.False(OtpDeviceJson.TryRead(json, out _, out var errors));
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AHardwareToken_DoesNotExpireUnderTheDeviceLifetime()
    {
        var token = TestDevices.Totp() with { Serial = "HW-0001" };

        Assert.Null(token.ExpiresAt(3600));
        Assert.NotNull(TestDevices.Totp().ExpiresAt(3600));
    }
}
