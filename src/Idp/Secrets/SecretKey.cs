using System.Security.Cryptography;

namespace Idp.Secrets;

/// <summary>A 256-bit application secret key and its id. The id is a short fingerprint, so ciphertexts say which key made them.</summary>
public sealed class SecretKey
{
    public const int KeyLength = 32;

    private readonly byte[] _material;

    private SecretKey(byte[] material)
    {
        _material = material;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData([.. "idp-secret-key-id:"u8, .. material], hash);
        Id = Convert.ToHexStringLower(hash[..6]);
    }

    public string Id { get; }

    internal ReadOnlySpan<byte> Material => _material;

    /// <summary>Parses the Base64 of exactly 32 bytes (what <c>head -c 32 /dev/urandom | base64</c> prints).</summary>
    public static bool TryParse(string? base64, out SecretKey? key, out string? error)
    {
        key = null;
        var trimmed = base64?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            error = "the key is empty";
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(trimmed);
        }
        catch (FormatException)
        {
            error = "the key is not Base64";
            return false;
        }

        if (bytes.Length != KeyLength)
        {
            error = $"the key must be the Base64 of {KeyLength} bytes (got {bytes.Length} bytes)";
            return false;
        }

        key = new SecretKey(bytes);
        error = null;
        return true;
    }

    public static SecretKey Generate() => new(RandomNumberGenerator.GetBytes(KeyLength));

    public string ToBase64() => Convert.ToBase64String(_material);
}
