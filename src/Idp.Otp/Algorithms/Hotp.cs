using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Idp.Otp.Algorithms;

/// <summary>HOTP, RFC 4226. Pure functions: no clock, no state.</summary>
public static class Hotp
{
    public const int MinDigits = 6;
    public const int MaxDigits = 8;

    private static readonly int[] PowersOfTen = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>HOTP(K, C) = Truncate(HMAC(K, C)) mod 10^Digits (RFC 4226 §5.3).</summary>
    public static int ComputeCode(ReadOnlySpan<byte> key, long counter, int digits, OtpHashAlgorithm algorithm)
    {
        ValidateDigits(digits);

        // RFC 4226 §5.1: the counter is an 8-byte big-endian value.
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);

        Span<byte> mac = stackalloc byte[64];
        var length = algorithm switch
        {
            OtpHashAlgorithm.Sha1 => HMACSHA1.HashData(key, message, mac),
            OtpHashAlgorithm.Sha256 => HMACSHA256.HashData(key, message, mac),
            OtpHashAlgorithm.Sha512 => HMACSHA512.HashData(key, message, mac),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };

        return DynamicTruncation(mac[..length]) % PowersOfTen[digits];
    }

    /// <summary>
    /// A keyed HMAC to compute several counters of one key: the key schedule is done once, each
    /// <see cref="ComputeCode(IncrementalHash, long, int)"/> then costs only the hash itself.
    /// </summary>
    public static IncrementalHash CreateHmac(ReadOnlySpan<byte> key, OtpHashAlgorithm algorithm) => IncrementalHash.CreateHMAC(
        algorithm switch
        {
            OtpHashAlgorithm.Sha1 => HashAlgorithmName.SHA1,
            OtpHashAlgorithm.Sha256 => HashAlgorithmName.SHA256,
            OtpHashAlgorithm.Sha512 => HashAlgorithmName.SHA512,
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        },
        key);

    /// <summary>HOTP with an HMAC from <see cref="CreateHmac"/>; the HMAC is left ready for the next counter.</summary>
    public static int ComputeCode(IncrementalHash hmac, long counter, int digits)
    {
        ValidateDigits(digits);
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        hmac.AppendData(message);
        Span<byte> mac = stackalloc byte[64];
        var length = hmac.GetHashAndReset(mac);
        return DynamicTruncation(mac[..length]) % PowersOfTen[digits];
    }

    private static void ValidateDigits(int digits)
    {
        if (digits is < MinDigits or > MaxDigits)
        {
            // RFC 4226 §5.3 requires at least 6 digits; we stop at 8 (a 31-bit value has 10, but apps show at most 8).
            throw new ArgumentOutOfRangeException(nameof(digits), digits, "digits must be 6, 7 or 8");
        }
    }

    /// <summary>RFC 4226 §5.3 DT: the low 4 bits of the last byte pick an offset; 31 bits are read there.</summary>
    internal static int DynamicTruncation(ReadOnlySpan<byte> mac)
    {
        var offset = mac[^1] & 0x0F;
        return ((mac[offset] & 0x7F) << 24)
             | (mac[offset + 1] << 16)
             | (mac[offset + 2] << 8)
             | mac[offset + 3];
    }

    /// <summary>The code as the user types it: zero-padded to the digit count.</summary>
    public static string Format(int code, int digits) => code.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0');
}
