namespace Idp.Otp.Algorithms;

/// <summary>The spellings used in otpauth URIs, JSON records and configuration ("SHA1", "SHA256", "SHA512").</summary>
public static class OtpHashAlgorithmNames
{
    public static string ToName(OtpHashAlgorithm algorithm) => algorithm switch
    {
        OtpHashAlgorithm.Sha1 => "SHA1",
        OtpHashAlgorithm.Sha256 => "SHA256",
        OtpHashAlgorithm.Sha512 => "SHA512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Accepts "SHA1", "sha-256", "Sha512"...; anything else is refused.</summary>
    public static bool TryParse(string? value, out OtpHashAlgorithm algorithm)
    {
        switch (value?.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant())
        {
            case "SHA1": algorithm = OtpHashAlgorithm.Sha1; return true;
            case "SHA256": algorithm = OtpHashAlgorithm.Sha256; return true;
            case "SHA512": algorithm = OtpHashAlgorithm.Sha512; return true;
            default: algorithm = default; return false;
        }
    }

    /// <summary>Seed length recommended for each hash: its output size (RFC 4226 §4 R6 asks for at least 128 bits; RFC 6238 Appendix B uses 20/32/64 bytes).</summary>
    public static int DefaultSeedLength(OtpHashAlgorithm algorithm) => algorithm switch
    {
        OtpHashAlgorithm.Sha1 => 20,
        OtpHashAlgorithm.Sha256 => 32,
        OtpHashAlgorithm.Sha512 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}
