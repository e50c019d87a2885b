using Idp.Otp.Devices;
using Idp.Otp.Tokens;
using Idp.Otp.Verification;

namespace Idp.Otp.Tests.Tokens;

/// <summary>Resynchronisation from two consecutive codes, with RFC 4226 Appendix D's and RFC 6238 Appendix B's values.</summary>
public sealed class TokenResyncTests
{
    private static readonly byte[] Seed = "12345678901234567890"u8.ToArray();

    [Fact]
    public void Hotp_TwoConsecutiveRfcCodes_SetTheCounterPastTheSecond()
    {
        // RFC 4226 Appendix D: counter 5 gives 254676, counter 6 gives 287922.
        var found = TokenResync.Find(TestDevices.Hotp(counter: 0), Seed, "254676", "287922", DateTimeOffset.UnixEpoch);

        Assert.Equal((7L, 6L), (found!.Counter, found.LastStep!.Value));
        Assert.Null(TokenResync.Find(TestDevices.Hotp(counter: 0), Seed, "287922", "254676", DateTimeOffset.UnixEpoch));
        Assert.Null(TokenResync.Find(TestDevices.Hotp(counter: 0), Seed, "254676", "162583", DateTimeOffset.UnixEpoch));
        // Codes before the counter expected (already used) never move it back.
        Assert.Null(TokenResync.Find(TestDevices.Hotp(counter: 6), Seed, "254676", "287922", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Totp_TwoConsecutiveRfcCodes_SetTheDrift_AndTheVerifierThenChecksAroundTheTokensTime()
    {
        // RFC 6238 Appendix B (SHA-1, 8 digits): 1111111109 gives 07081804 (step 37037036), 1111111111 gives 14050471 (37037037).
        // The server's clock is 10 minutes (20 steps) ahead of the token's.
        var serverNow = DateTimeOffset.FromUnixTimeSeconds(1111111111 + 600);
        var device = TestDevices.Totp(digits: 8);

        var found = TokenResync.Find(device, Seed, "07081804", "14050471", serverNow);

        Assert.Equal((-20, 37037037L), (found!.Drift, found.LastStep!.Value));
        Assert.Equal(OtpMatchKind.Replay, OtpVerifier.Check(found, Seed, 14050471, serverNow, 1, 10).Kind);
        var nextCode = Algorithms.Hotp.ComputeCode(Seed, 37037038, 8, Algorithms.OtpHashAlgorithm.Sha1);
        Assert.Equal(OtpMatchKind.Accepted, OtpVerifier.Check(found, Seed, nextCode, serverNow.AddSeconds(30), 1, 10).Kind);
        Assert.Equal(OtpMatchKind.NoMatch, OtpVerifier.Check(found with { Drift = 0 }, Seed, nextCode, serverNow.AddSeconds(30), 1, 10).Kind);
    }

    [Fact]
    public void MalformedCodes_FindNothing()
    {
        Assert.Null(TokenResync.Find(TestDevices.Hotp(), Seed, "25467", "287922", DateTimeOffset.UnixEpoch));
        Assert.Null(TokenResync.Find(TestDevices.Hotp(), Seed, null, "287922", DateTimeOffset.UnixEpoch));
        Assert.Null(TokenResync.Find(TestDevices.Hotp(), Seed, "abcdef", "287922", DateTimeOffset.UnixEpoch));
    }
}
