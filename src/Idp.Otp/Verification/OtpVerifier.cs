using System.Security.Cryptography;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;

namespace Idp.Otp.Verification;

/// <summary>Checks one normalised code against one device's decrypted seed. Pure: time and windows are parameters.</summary>
public static class OtpVerifier
{
    /// <param name="range">TOTP: extra time steps accepted on each side (LemonLDAP::NG's "range"; RFC 6238 §5.2 recommends at most one).</param>
    /// <param name="hotpLookAhead">HOTP: how many counters past the expected one are tried, to resynchronise (RFC 4226 §7.4).</param>
    public static OtpMatch Check(OtpDevice device, ReadOnlySpan<byte> seed, int code, DateTimeOffset now, int range, int hotpLookAhead)
        => device.Type == OtpDeviceType.Totp
            ? CheckTotp(device, seed, code, now, range)
            : CheckHotp(device, seed, code, hotpLookAhead);

    private static OtpMatch CheckTotp(OtpDevice device, ReadOnlySpan<byte> seed, int code, DateTimeOffset now, int range)
    {
        // RFC 6238 §6: a token whose clock was found off by a resynchronisation is checked around its own time.
        var current = Totp.TimeStep(now, device.Period) + device.Drift;
        var replay = OtpMatch.None;
        using var hmac = Hotp.CreateHmac(seed, device.Algorithm);
        for (var step = current - range; step <= current + range; step++)
        {
            if (!Same(Hotp.ComputeCode(hmac, step, device.Digits), code))
            {
                continue;
            }

            // RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful
            // validation has been issued for the first OTP" — nor any code of an earlier step.
            if (device.LastStep is { } last && step <= last)
            {
                replay = new OtpMatch(OtpMatchKind.Replay, step);
                continue;
            }

            return new OtpMatch(OtpMatchKind.Accepted, step);
        }

        return replay;
    }

    private static OtpMatch CheckHotp(OtpDevice device, ReadOnlySpan<byte> seed, int code, int lookAhead)
    {
        // RFC 4226 §7.4: try the expected counter and up to lookAhead more; a match resynchronises the counter.
        using var hmac = Hotp.CreateHmac(seed, device.Algorithm);
        for (var counter = device.Counter; counter <= device.Counter + lookAhead; counter++)
        {
            if (Same(Hotp.ComputeCode(hmac, counter, device.Digits), code))
            {
                return new OtpMatch(OtpMatchKind.Accepted, counter);
            }
        }

        // The code of the counter just consumed is reported as a replay rather than a wrong code.
        if (device.LastStep is { } last && last >= 0 && Same(Hotp.ComputeCode(hmac, last, device.Digits), code))
        {
            return new OtpMatch(OtpMatchKind.Replay, last);
        }

        return OtpMatch.None;
    }

    /// <summary>Constant-time equality of two codes, so timing never tells how close a guess was.</summary>
    private static bool Same(int expected, int actual)
    {
        Span<byte> a = stackalloc byte[sizeof(int)];
        Span<byte> b = stackalloc byte[sizeof(int)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(a, expected);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(b, actual);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    /// <summary>The device after a code for <paramref name="step"/> was accepted at <paramref name="now"/>.</summary>
    public static OtpDevice Consume(OtpDevice device, long step, DateTimeOffset now) => device with
    {
        LastStep = step,
        LastUsed = now.ToUnixTimeSeconds(),
        Counter = device.Type == OtpDeviceType.Hotp ? step + 1 : device.Counter,
    };
}
