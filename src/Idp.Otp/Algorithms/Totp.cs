namespace Idp.Otp.Algorithms;

/// <summary>TOTP, RFC 6238: HOTP with the counter T = floor((now - T0) / X), T0 = 0 (§4.2).</summary>
public static class Totp
{
    public const int MinPeriod = 15;
    public const int MaxPeriod = 300;

    public static long TimeStep(DateTimeOffset now, int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        // RFC 6238 §4.2: floor division; Unix time is never negative here, so integer division is floor.
        return now.ToUnixTimeSeconds() / period;
    }

    public static int ComputeCode(ReadOnlySpan<byte> key, DateTimeOffset now, int period, int digits, OtpHashAlgorithm algorithm)
        => Hotp.ComputeCode(key, TimeStep(now, period), digits, algorithm);
}
