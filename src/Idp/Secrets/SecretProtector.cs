using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Idp.Secrets;

/// <summary>
/// Encrypts small secrets (factors' keys, signing keys, data-protection keys) with AES-256-GCM under the application secret key, which never
/// lives in the database. Output: <c>{idp}v1.KEYID.BASE64URL(nonce | ciphertext | tag)</c>. The purpose and key id
/// are bound as associated data, so a seed cannot be replayed as a signing key or relabelled with another key id.
/// </summary>
public sealed class SecretProtector(SecretKeyRing keys) : Idp.SecondFactors.ISecretProtector
{
    // Building an AesGcm costs more than using it; instances are not thread-safe, so they are pooled per key.
    private readonly ConcurrentDictionary<string, ConcurrentBag<AesGcm>> _ciphers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string KeyId, string Purpose), byte[]> _associatedData = new();

    public const string Prefix = "{idp}v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string CurrentKeyId => keys.Current.Id;

    public string Protect(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var key = keys.Current;
        var payload = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = payload.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var aes = Rent(key);
        try
        {
            aes.Encrypt(nonce, plaintext, payload.AsSpan(NonceSize, plaintext.Length), payload.AsSpan(NonceSize + plaintext.Length), AssociatedData(key.Id, purpose));
        }
        finally
        {
            Return(key, aes);
        }

        return Prefix + key.Id + "." + Base64Url.EncodeToString(payload);
    }

    /// <summary>False for anything not made by <see cref="Protect"/> with a known key and the same purpose (tampered, truncated, wrong key).</summary>
    public bool TryUnprotect(string? protectedValue, string purpose, out byte[] plaintext)
    {
        plaintext = [];
        if (!TryParse(protectedValue, out var keyId, out var payload) || payload.Length < NonceSize + TagSize)
        {
            return false;
        }

        if (!keys.TryFind(keyId, out var key) || key is null)
        {
            return false;
        }

        var length = payload.Length - NonceSize - TagSize;
        var output = new byte[length];
        var aes = Rent(key);
        try
        {
            aes.Decrypt(payload.AsSpan(0, NonceSize), payload.AsSpan(NonceSize, length), payload.AsSpan(NonceSize + length), output, AssociatedData(keyId, purpose));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            Return(key, aes);
        }

        plaintext = output;
        return true;
    }

    private AesGcm Rent(SecretKey key)
        => _ciphers.GetOrAdd(key.Id, _ => []).TryTake(out var aes) ? aes : new AesGcm(key.Material, TagSize);

    private void Return(SecretKey key, AesGcm aes) => _ciphers[key.Id].Add(aes);

    public static bool IsProtected(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The key id a value was encrypted with, or null when it is not ours.</summary>
    public static string? KeyIdOf(string? value) => TryParse(value, out var keyId, out _) ? keyId : null;

    string? Idp.SecondFactors.ISecretProtector.KeyIdOf(string? protectedValue) => KeyIdOf(protectedValue);

    bool Idp.SecondFactors.ISecretProtector.IsProtected(string? value) => IsProtected(value);

    private static bool TryParse(string? value, out string keyId, out byte[] payload)
    {
        keyId = string.Empty;
        payload = [];
        if (!IsProtected(value))
        {
            return false;
        }

        var rest = value.AsSpan(Prefix.Length);
        var dot = rest.IndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        keyId = rest[..dot].ToString();
        try
        {
            payload = Base64Url.DecodeFromChars(rest[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return true;
    }

    private byte[] AssociatedData(string keyId, string purpose)
        => _associatedData.GetOrAdd((keyId, purpose), k => Encoding.UTF8.GetBytes($"idp-secret:v1:{k.KeyId}:{k.Purpose}"));
}
