using System.Text;
using Idp.Otp.Algorithms;
using Idp.Otp.Verification;

namespace Idp.Otp.Tests;

public sealed class OtpVerifierTests
{
    private static readonly byte[] Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_111_111_111);
    private static readonly long CurrentStep = Totp.TimeStep(Now, 30);

    private static int CodeAt(long step, int digits = 6) => Hotp.ComputeCode(Seed, step, digits, OtpHashAlgorithm.Sha1);

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public void Check_WithinRangeOne_Accepted(int offset)
    {
        var match = OtpVerifier.Check(TestDevices.Totp(), Seed, CodeAt(CurrentStep + offset), Now, range: 1, hotpLookAhead: 10);

        Assert.Equal(OtpMatchKind.Accepted, match.Kind);
        Assert.Equal(CurrentStep + offset, match.Step);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    public void Check_OneStepBeyondRange_Refused(int offset)
    {
        var match = OtpVerifier.Check(TestDevices.Totp(), Seed, CodeAt(CurrentStep + offset), Now, range: 1, hotpLookAhead: 10);

        Assert.Equal(OtpMatchKind.NoMatch, match.Kind);
    }

    [Fact]
    public void Check_RangeTwo_AcceptsTwoStepsBack()
    {
        var match = OtpVerifier.Check(TestDevices.Totp(), Seed, CodeAt(CurrentStep - 2), Now, range: 2, hotpLookAhead: 10);

        Assert.Equal(OtpMatchKind.Accepted, match.Kind);
    }

    [Fact]
    public void Check_RangeZero_OnlyCurrentStep()
    {
        Assert.Equal(OtpMatchKind.Accepted, OtpVerifier.Check(TestDevices.Totp(), Seed, CodeAt(CurrentStep), Now, 0, 10).Kind);
        Assert.Equal(OtpMatchKind.NoMatch, OtpVerifier.Check(TestDevices.Totp(), Seed, CodeAt(CurrentStep - 1), Now, 0, 10).Kind);
    }

    [Fact]
    public void Check_SameStepAsLastAccepted_Replay()
    {
        var device = TestDevices.Totp(lastStep: CurrentStep);

        var match = OtpVerifier.Check(device, Seed, CodeAt(CurrentStep), Now, 1, 10);

        Assert.Equal(OtpMatchKind.Replay, match.Kind);
    }

    [Fact]
    public void Check_EarlierStepThanLastAccepted_Replay()
    {
        var device = TestDevices.Totp(lastStep: CurrentStep);

        var match = OtpVerifier.Check(device, Seed, CodeAt(CurrentStep - 1), Now, 1, 10);

        Assert.Equal(OtpMatchKind.Replay, match.Kind);
    }

    [Fact]
    public void Check_LaterStepThanLastAccepted_Accepted()
    {
        var device = TestDevices.Totp(lastStep: CurrentStep);

        var match = OtpVerifier.Check(device, Seed, CodeAt(CurrentStep + 1), Now, 1, 10);

        Assert.Equal(OtpMatchKind.Accepted, match.Kind);
    }

    [Fact]
    public void Consume_ThenSameCode_Replay()
    {
        var device = TestDevices.Totp();
        var first = OtpVerifier.Check(device, Seed, CodeAt(CurrentStep), Now, 1, 10);
        var consumed = OtpVerifier.Consume(device, first.Step, Now);

        var second = OtpVerifier.Check(consumed, Seed, CodeAt(CurrentStep), Now, 1, 10);

        Assert.Equal(OtpMatchKind.Accepted, first.Kind);
        Assert.Equal(OtpMatchKind.Replay, second.Kind);
        Assert.Equal(Now.ToUnixTimeSeconds(), consumed.LastUsed);
    }

    [Fact]
    public void Check_Sha256EightDigitsSixtySeconds_UsesDeviceParameters()
    {
        var seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
        var device = TestDevices.Totp(OtpHashAlgorithm.Sha256, digits: 8, period: 60);
        var code = Hotp.ComputeCode(seed, Totp.TimeStep(Now, 60), 8, OtpHashAlgorithm.Sha256);

        Assert.Equal(OtpMatchKind.Accepted, OtpVerifier.Check(device, seed, code, Now, 1, 10).Kind);
        Assert.Equal(OtpMatchKind.NoMatch, OtpVerifier.Check(device with { Period = 30 }, seed, code, Now, 0, 10).Kind);
    }

    [Fact]
    public void Check_HotpWithinLookAhead_AcceptedAndResynchronises()
    {
        var device = TestDevices.Hotp(counter: 0);

        var match = OtpVerifier.Check(device, Seed, CodeAt(5), Now, 1, hotpLookAhead: 10);
        var resynchronised = OtpVerifier.Consume(device, match.Step, Now);

        Assert.Equal(OtpMatchKind.Accepted, match.Kind);
        Assert.Equal(5, match.Step);
        Assert.Equal(6, resynchronised.Counter);
        Assert.Equal(OtpMatchKind.Accepted, OtpVerifier.Check(resynchronised, Seed, CodeAt(16), Now, 1, 10).Kind);
    }

    [Fact]
    public void Check_HotpBeyondLookAhead_Refused()
    {
        var device = TestDevices.Hotp(counter: 0);

        Assert.Equal(OtpMatchKind.Accepted, OtpVerifier.Check(device, Seed, CodeAt(10), Now, 1, hotpLookAhead: 10).Kind);
        Assert.Equal(OtpMatchKind.NoMatch, OtpVerifier.Check(device, Seed, CodeAt(11), Now, 1, hotpLookAhead: 10).Kind);
    }

    [Fact]
    public void Check_HotpCounterJustUsed_Replay_AndOlderCounterNoMatch()
    {
        var device = OtpVerifier.Consume(TestDevices.Hotp(counter: 0), 3, Now);

        Assert.Equal(OtpMatchKind.Replay, OtpVerifier.Check(device, Seed, CodeAt(3), Now, 1, 10).Kind);
        Assert.Equal(OtpMatchKind.NoMatch, OtpVerifier.Check(device, Seed, CodeAt(1), Now, 1, 10).Kind);
    }
}
