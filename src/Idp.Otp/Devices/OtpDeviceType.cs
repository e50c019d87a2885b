namespace Idp.Otp.Devices;

/// <summary>The <c>type</c> of a <c>_2fDevices</c> record that this plugin handles.</summary>
public enum OtpDeviceType
{
    Totp,
    Hotp,
}
