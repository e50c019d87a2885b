using Idp.Otp.Devices;

namespace Idp.Otp.Tests;

public sealed class DeviceNameRulesTests
{
    [Theory]
    [InlineData("MyTOTP")]
    [InlineData("Work phone_2-b")]
    [InlineData("Téléphone")]
    public void Validate_AllowedName_NoError(string name)
    {
        Assert.Null(DeviceNameRules.Validate(name, 20, []));
    }

    [Theory]
    [InlineData("", "Give the device a name.")]
    [InlineData("   ", "Give the device a name.")]
    [InlineData("abcdefghijklmnopqrstu", "at most 20 characters")]
    [InlineData("phone<script>", "only letters, digits")]
    [InlineData("a/b", "only letters, digits")]
    public void Validate_BadName_Message(string name, string expected)
    {
        Assert.Contains(expected, DeviceNameRules.Validate(name, 20, []), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SameNameOtherCase_Duplicate_UnlessSameDevice()
    {
        var existing = new[] { TestDevices.Totp() with { Name = "Phone" } };

        Assert.Contains("already have", DeviceNameRules.Validate("PHONE", 20, existing), StringComparison.Ordinal);
        Assert.Null(DeviceNameRules.Validate("PHONE", 20, existing, exceptDeviceId: existing[0].Id));
    }
}
