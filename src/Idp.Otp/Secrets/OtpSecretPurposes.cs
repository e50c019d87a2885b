namespace Idp.Otp.Secrets;

/// <summary>The purpose bound into every encrypted OTP seed (see the core's ISecretProtector).</summary>
public static class OtpSecretPurposes
{
    public const string OtpSeed = "otp-seed";
}
