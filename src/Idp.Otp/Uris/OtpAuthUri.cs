using System.Globalization;
using System.Text;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Codecs;

namespace Idp.Otp.Uris;

/// <summary>
/// The Key Uri Format read by authenticator apps:
/// <c>otpauth://TYPE/ISSUER:ACCOUNT?secret=…&amp;issuer=…&amp;algorithm=…&amp;digits=…&amp;period=…</c> (or <c>counter</c> for HOTP).
/// </summary>
public static class OtpAuthUri
{
    public static string Build(OtpDeviceType type, string issuer, string account, ReadOnlySpan<byte> seed, OtpHashAlgorithm algorithm, int digits, int period, long counter = 0)
    {
        // Apps split the label at its first colon: a colon inside the issuer would move that split, so it becomes
        // a dash there; a colon in the account is harmless after the separator and is only percent-encoded.
        var safeIssuer = issuer.Replace(':', '-').Trim();
        var builder = new StringBuilder("otpauth://");
        builder.Append(type == OtpDeviceType.Totp ? "totp" : "hotp").Append('/');
        if (safeIssuer.Length > 0)
        {
            builder.Append(Encode(safeIssuer)).Append(':');
        }

        builder.Append(Encode(account.Trim()))
            .Append("?secret=").Append(Base32.Encode(seed));
        if (safeIssuer.Length > 0)
        {
            builder.Append("&issuer=").Append(Encode(safeIssuer));
        }

        builder.Append("&algorithm=").Append(OtpHashAlgorithmNames.ToName(algorithm))
            .Append("&digits=").Append(digits.ToString(CultureInfo.InvariantCulture));
        if (type == OtpDeviceType.Totp)
        {
            builder.Append("&period=").Append(period.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            builder.Append("&counter=").Append(counter.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>RFC 3986 percent-encoding of UTF-8 (spaces as %20, never '+', which some apps show literally).</summary>
    private static string Encode(string value) => Uri.EscapeDataString(value);
}
