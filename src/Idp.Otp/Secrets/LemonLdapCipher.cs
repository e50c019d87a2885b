using Idp.SecondFactors;
using System.Security.Cryptography;
using System.Text;

namespace Idp.Otp.Secrets;

/// <summary>
/// LemonLDAP::NG 2.x's symmetric cipher, used for <c>{llngcrypt}</c> TOTP secrets: key = SHA-256 of the configured
/// "key" string; plaintext zero-padded to 16 bytes and prefixed with its SHA-256; AES-256-CBC under a random IV;
/// Base64 of IV | ciphertext. Only for importing and exporting records; Idp's own storage uses the core's ISecretProtector.
/// </summary>
public sealed class LemonLdapCipher(string lemonLdapKey)
{
    public const string Prefix = "{llngcrypt}";
    private const int BlockSize = 16;
    private const int HashSize = 32;

    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes(lemonLdapKey));

    public static bool IsEncrypted(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public string Encrypt(string plaintext)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        // Always at least one NUL: LemonLDAP::NG's decoders strip trailing NULs, some by dropping the last character.
        var padded = new byte[(data.Length / BlockSize + 1) * BlockSize];
        data.CopyTo(padded, 0);
        var message = new byte[HashSize + padded.Length];
        SHA256.HashData(padded, message.AsSpan(0, HashSize));
        padded.CopyTo(message, HashSize);

        var iv = RandomNumberGenerator.GetBytes(BlockSize);
        using var aes = Aes.Create();
        aes.Key = _key;
        var encrypted = aes.EncryptCbc(message, iv, PaddingMode.None);
        return Prefix + Convert.ToBase64String([.. iv, .. encrypted]);
    }

    /// <summary>Decrypts a value with or without the <c>{llngcrypt}</c> prefix; false on a wrong key or damaged value (the inner hash does not match).</summary>
    public bool TryDecrypt(string value, out string plaintext)
    {
        plaintext = string.Empty;
        var base64 = IsEncrypted(value) ? value[Prefix.Length..] : value;
        // LemonLDAP::NG may store URL-escaped Base64.
        base64 = base64.Replace("%2B", "+", StringComparison.OrdinalIgnoreCase)
                       .Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
                       .Replace("%3D", "=", StringComparison.OrdinalIgnoreCase);
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return false;
        }

        if (raw.Length < BlockSize + HashSize + BlockSize || raw.Length % BlockSize != 0)
        {
            return false;
        }

        using var aes = Aes.Create();
        aes.Key = _key;
        var message = aes.DecryptCbc(raw.AsSpan(BlockSize), raw.AsSpan(0, BlockSize), PaddingMode.None);
        var data = message.AsSpan(HashSize);
        if (!CryptographicOperations.FixedTimeEquals(message.AsSpan(0, HashSize), SHA256.HashData(data)))
        {
            return false;
        }

        var end = data.IndexOf((byte)0);
        plaintext = Encoding.UTF8.GetString(end >= 0 ? data[..end] : data);
        return true;
    }
}
