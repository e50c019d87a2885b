using Idp.Otp.Devices;

namespace Idp.Otp.Verification;

public sealed record OtpVerificationResult(OtpVerificationOutcome Outcome, OtpDevice? Device = null)
{
    public bool Succeeded => Outcome == OtpVerificationOutcome.Accepted;
}
