using Idp.Otp.Algorithms;

namespace Idp.Testing;

/// <summary>The one TOTP key and code formula the integration and browser tests share.</summary>
public static class TestOtp
{
    /// <summary>The secret of RFC 4226 Appendix D and RFC 6238 Appendix B.</summary>
    public static readonly byte[] Seed = "12345678901234567890"u8.ToArray();

    /// <summary><see cref="Seed"/> in Base32 (RFC 4648 §6), as authenticator apps and LemonLDAP::NG records hold it.</summary>
    public const string SeedBase32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    /// <summary>The 6-digit, 30-second, SHA-1 code (RFC 6238 defaults) of <paramref name="seed"/> at <paramref name="when"/>.</summary>
    public static string CodeAt(DateTimeOffset when, byte[]? seed = null)
        => Hotp.Format(Totp.ComputeCode(seed ?? Seed, when, 30, 6, OtpHashAlgorithm.Sha1), 6);
}
