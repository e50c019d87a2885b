using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;

namespace Idp.UserStores.Sql;

/// <summary>
/// Checks a password against a hash another application wrote. A stored value that is not in the store's format, or
/// cannot be read, never matches; comparisons of derived keys are constant-time.
/// </summary>
internal static partial class SqlPasswordHashes
{
    /// <summary>More than any real table uses; a row asking for more would hold a worker for minutes.</summary>
    private const int MaxPbkdf2Iterations = 10_000_000;

    private static readonly PasswordHasher<object> IdentityHasher = new();

    public static bool Verify(SqlHashFormat format, string? stored, string password)
    {
        if (string.IsNullOrEmpty(stored) || string.IsNullOrEmpty(password))
        {
            return false;
        }

        return format switch
        {
            SqlHashFormat.Bcrypt => Bcrypt(stored, password),
            SqlHashFormat.DjangoPbkdf2 => DjangoPbkdf2(stored, password),
            SqlHashFormat.AspNetIdentity => AspNetIdentity(stored, password),
            SqlHashFormat.SaltedSha => SaltedSha(stored, password),
            _ => false,
        };
    }

    private static bool Bcrypt(string stored, string password)
    {
        // The library does not check the shape itself (a short value throws from inside it), so it is checked here:
        // the three prefixes of the same algorithm ($2x$ was a buggy PHP variant), a cost Idp can afford, 53 characters.
        if (!BcryptShape().IsMatch(stored))
        {
            return false;
        }

        try
        {
            return BCrypt.Net.BCrypt.Verify(password, stored);
        }
        catch (Exception e) when (e is BCrypt.Net.SaltParseException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    private static bool DjangoPbkdf2(string stored, string password)
    {
        var parts = stored.Split('$');
        if (parts is not ["pbkdf2_sha256", var rounds, var salt, var key]
            || !int.TryParse(rounds, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > MaxPbkdf2Iterations
            || salt.Length == 0)
        {
            return false;
        }

        var expected = new byte[32];
        if (!Convert.TryFromBase64String(key, expected, out var written) || written != expected.Length)
        {
            return false;
        }

        var derived = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(derived, expected);
    }

    private static bool AspNetIdentity(string stored, string password)
    {
        // Identity reads the iteration count of a version 3 hash from the value and trusts it: a row asking for 2^31
        // would hold a worker for hours. Version 3 is 0x01, then the PRF, the iteration count and the salt length
        // (big-endian, 4 bytes each); version 2 (0x00) always uses 1000.
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(stored);
        }
        catch (FormatException)
        {
            return false;
        }

        if (decoded is [0x01, ..] && (decoded.Length < 13 || System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(decoded.AsSpan(5, 4)) is 0 or > MaxPbkdf2Iterations))
        {
            return false;
        }

        try
        {
            return IdentityHasher.VerifyHashedPassword(new object(), stored, password) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool SaltedSha(string stored, string password)
    {
        var close = stored.IndexOf('}', StringComparison.Ordinal);
        var scheme = close > 0 && stored[0] == '{' ? stored[1..close].ToUpperInvariant() : null;
        var (algorithm, length) = scheme switch
        {
            "SSHA" => (HashAlgorithmName.SHA1, SHA1.HashSizeInBytes),
            "SSHA256" => (HashAlgorithmName.SHA256, SHA256.HashSizeInBytes),
            "SSHA512" => (HashAlgorithmName.SHA512, SHA512.HashSizeInBytes),
            _ => (default, 0),
        };
        if (length == 0)
        {
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(stored[(close + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (decoded.Length <= length)
        {
            return false;
        }

        var salted = Encoding.UTF8.GetBytes(password).Concat(decoded[length..]).ToArray();
        return CryptographicOperations.FixedTimeEquals(CryptographicOperations.HashData(algorithm, salted), decoded.AsSpan(0, length));
    }

    /// <summary>Cost 4 to 15 (2^15 rounds take seconds already: a row asking for more would hold a worker for minutes).</summary>
    [GeneratedRegex("^\\$2[aby]\\$(0[4-9]|1[0-5])\\$[./A-Za-z0-9]{53}\\z")]
    private static partial Regex BcryptShape();
}
