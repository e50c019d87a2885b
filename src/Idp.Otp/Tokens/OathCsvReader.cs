using System.Globalization;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;

namespace Idp.Otp.Tokens;

/// <summary>
/// Reads an OATH CSV token file, all or nothing: one token a line, <c>serial, seed, type, digits, counter-or-step[, user]</c>
/// (the seed in hex; type <c>hotp</c> or <c>totp</c>; for HOTP the next counter, for TOTP the step in seconds).
/// Blank lines and lines starting with <c>#</c> are skipped; so is a first line that names the columns.
/// </summary>
public static class OathCsvReader
{
    public static IReadOnlyList<TokenSeed> Read(TextReader file)
    {
        var tokens = new List<TokenSeed>();
        var serials = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        var characters = 0L;
        while (file.ReadLine() is { } line)
        {
            number++;
            characters += line.Length + 1;
            if (characters > TokenFileLimits.MaxBytes || tokens.Count >= TokenFileLimits.MaxTokens)
            {
                throw new TokenFileException("file", $"larger than {TokenFileLimits.MaxBytes / 1024 / 1024} MB or {TokenFileLimits.MaxTokens} tokens: split it");
            }

            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || (number == 1 && trimmed.StartsWith("serial", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var token = Row(trimmed.Split(',').Select(f => f.Trim()).ToArray(), $"line {number}");
            if (!serials.Add(token.Serial))
            {
                throw new TokenFileException($"line {number}", $"the serial {token.Serial} appears twice in the file");
            }

            tokens.Add(token);
        }

        return tokens.Count > 0 ? tokens : throw new TokenFileException("file", "it holds no token");
    }

    private static TokenSeed Row(string[] fields, string entry)
    {
        if (fields.Length is < 5 or > 6)
        {
            throw new TokenFileException(entry, $"{fields.Length} columns where serial, seed, type, digits, counter-or-step[, user] are 5 or 6");
        }

        var serial = fields[0];
        if (!TokenSerials.IsValid(serial))
        {
            throw new TokenFileException(entry, $"the serial must be {TokenSerials.Rule}");
        }

        byte[] secret;
        try
        {
            secret = Convert.FromHexString(fields[1]);
        }
        catch (FormatException e)
        {
            throw new TokenFileException(entry, $"the seed of {serial} is not hex", e);
        }

        if (secret.Length is < TokenFileLimits.MinSecretBytes or > TokenFileLimits.MaxSecretBytes)
        {
            throw new TokenFileException(entry, $"the seed of {serial} must be {TokenFileLimits.MinSecretBytes} to {TokenFileLimits.MaxSecretBytes} bytes (RFC 4226 asks for at least 128 bits)");
        }

        var type = fields[2].ToLowerInvariant() switch
        {
            "hotp" => OtpDeviceType.Hotp,
            "totp" => OtpDeviceType.Totp,
            _ => throw new TokenFileException(entry, $"unknown type \"{fields[2]}\" for {serial} (hotp or totp)"),
        };
        if (!int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var digits) || digits is < 6 or > 8)
        {
            throw new TokenFileException(entry, $"the digits of {serial} must be 6, 7 or 8");
        }

        if (!long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var fifth) || (type == OtpDeviceType.Totp ? fifth is < Totp.MinPeriod or > Totp.MaxPeriod : fifth > TokenFileLimits.MaxCounter))
        {
            throw new TokenFileException(entry, type == OtpDeviceType.Hotp ? $"the counter of {serial} must be a whole number from 0 to {TokenFileLimits.MaxCounter}" : $"the step of {serial} must be {Totp.MinPeriod} to {Totp.MaxPeriod} seconds");
        }

        var user = fields.Length == 6 && fields[5].Length > 0 ? fields[5] : null;
        return new TokenSeed(serial, type, OtpHashAlgorithm.Sha1, digits, type == OtpDeviceType.Hotp ? fifth : 0, type == OtpDeviceType.Totp ? (int)fifth : 30, 0, secret) { User = user };
    }
}
