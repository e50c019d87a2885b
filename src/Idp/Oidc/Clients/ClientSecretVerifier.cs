using System.Security.Cryptography;
using System.Text;

namespace Idp.Oidc.Clients;

/// <summary>Compares a presented client secret with the configured ones in constant time; configured secrets may be SHA-256 hashes.</summary>
internal static class ClientSecretVerifier
{
    public const string HashPrefix = "sha256:";

    public static bool Matches(ClientOptions client, string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
        {
            return false;
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var configured in client.ClientSecrets)
        {
            // Hash both sides, so the comparison is fixed-length and constant-time whatever the secrets' lengths.
            var expected = configured.StartsWith(HashPrefix, StringComparison.Ordinal)
                ? Convert.FromBase64String(configured[HashPrefix.Length..])
                : SHA256.HashData(Encoding.UTF8.GetBytes(configured));
            match |= CryptographicOperations.FixedTimeEquals(expected, presentedHash);
        }

        return match;
    }

    public static string? Problem(string configured)
    {
        if (configured.StartsWith(HashPrefix, StringComparison.Ordinal))
        {
            try
            {
                return Convert.FromBase64String(configured[HashPrefix.Length..]).Length == 32 ? null : "a sha256: secret must be the Base64 of 32 bytes";
            }
            catch (FormatException)
            {
                return "a sha256: secret must be Base64";
            }
        }

        // RFC 6749 §10.10 asks for secrets that cannot be guessed.
        return configured.Length < 16 ? "a client secret must be at least 16 characters" : null;
    }

    public static string Hash(string secret) => HashPrefix + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
