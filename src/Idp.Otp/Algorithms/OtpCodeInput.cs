namespace Idp.Otp.Algorithms;

/// <summary>
/// What a person typed, normalised: spaces and dashes removed ("123 456", "123-456").
/// Anything that is not exactly the expected number of ASCII digits is refused before any HMAC is computed.
/// </summary>
public static class OtpCodeInput
{
    /// <summary>Longest raw input considered at all; beyond it the input is refused without scanning.</summary>
    public const int MaxRawLength = 32;

    public static bool TryParse(string? raw, int digits, out int code)
    {
        code = 0;
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxRawLength)
        {
            return false;
        }

        var count = 0;
        foreach (var c in raw)
        {
            if (c is ' ' or '-' or '\u00A0')
            {
                continue;
            }

            // Only ASCII digits: char.IsDigit would let Arabic-Indic and full-width digits through.
            if (c is < '0' or > '9' || count == digits)
            {
                return false;
            }

            code = (code * 10) + (c - '0');
            count++;
        }

        return count == digits;
    }

    /// <summary>True when the input has the shape of a code of some allowed length (6 to 8 digits), without saying which device it fits.</summary>
    public static bool LooksLikeCode(string? raw)
    {
        for (var digits = Hotp.MinDigits; digits <= Hotp.MaxDigits; digits++)
        {
            if (TryParse(raw, digits, out _))
            {
                return true;
            }
        }

        return false;
    }
}
