namespace Idp.Otp.Secrets;

/// <summary>Purpose strings bound into ciphertexts; one per kind of secret.</summary>
public static class SecretPurposes
{
    public const string OtpSeed = "otp-seed";
    public const string SigningKey = "signing-key";
}
