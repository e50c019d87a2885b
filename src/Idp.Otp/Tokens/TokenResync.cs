using Idp.Otp.Algorithms;
using Idp.Otp.Devices;

namespace Idp.Otp.Tokens;

/// <summary>
/// Finds where a token that ran away stands from two consecutive codes it shows (RFC 4226 §7.4's
/// resynchronisation, and RFC 6238 §6's for a drifting clock). Two codes in a row make a chance match across a wide
/// window negligible (one in 10^12 per position for six digits), which one code could not.
/// </summary>
public static class TokenResync
{
    /// <summary>How far ahead an HOTP counter, or either side a TOTP clock, is searched (privacyIDEA's default sync window).</summary>
    public const int Window = 1000;

    /// <summary>The device with its counter (HOTP) or drift (TOTP) set just past the second code, or null when no place in the window gives both.</summary>
    public static OtpDevice? Find(OtpDevice device, ReadOnlySpan<byte> seed, string? first, string? second, DateTimeOffset now)
    {
        if (!OtpCodeInput.TryParse(first, device.Digits, out var one) || !OtpCodeInput.TryParse(second, device.Digits, out var two))
        {
            return null;
        }

        using var hmac = Hotp.CreateHmac(seed, device.Algorithm);
        if (device.Type == OtpDeviceType.Hotp)
        {
            for (var counter = device.Counter; counter <= device.Counter + Window; counter++)
            {
                if (Hotp.ComputeCode(hmac, counter, device.Digits) == one && Hotp.ComputeCode(hmac, counter + 1, device.Digits) == two)
                {
                    // Both codes are spent: the next one expected is the one after the second.
                    return device with { Counter = counter + 2, LastStep = counter + 1 };
                }
            }

            return null;
        }

        var current = Totp.TimeStep(now, device.Period);
        for (var offset = 0; offset <= Window; offset++)
        {
            // Nearest first, so that the drift found is the smallest that explains both codes.
            foreach (var step in offset == 0 ? [current] : new[] { current - offset, current + offset })
            {
                // Codes already accepted (RFC 6238 §5.2) cannot be shown again to move the clock.
                if ((device.LastStep is not { } last || step > last)
                    && Hotp.ComputeCode(hmac, step, device.Digits) == one && Hotp.ComputeCode(hmac, step + 1, device.Digits) == two)
                {
                    // The second code was shown at the token's step + 1, about now: that is its drift.
                    return device with { Drift = (int)(step + 1 - current), LastStep = step + 1 };
                }
            }
        }

        return null;
    }
}
