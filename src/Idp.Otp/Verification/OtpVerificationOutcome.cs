namespace Idp.Otp.Verification;

public enum OtpVerificationOutcome
{
    Accepted,

    /// <summary>Not the right number of digits, or not digits: refused before any HMAC.</summary>
    Malformed,

    /// <summary>Well-formed but matches no device in the window.</summary>
    Invalid,

    /// <summary>Right code, already used (or an earlier step).</summary>
    Replayed,

    /// <summary>The user has no usable device (none, or all expired).</summary>
    NoDevice,
}
