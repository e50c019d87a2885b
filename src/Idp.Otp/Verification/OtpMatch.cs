namespace Idp.Otp.Verification;

/// <summary>The outcome of checking one code against one device.</summary>
public enum OtpMatchKind
{
    NoMatch,

    /// <summary>The code is right but for a step or counter already used (RFC 6238 §5.2, RFC 4226 §7.5).</summary>
    Replay,

    Accepted,
}

/// <param name="Step">The time step (TOTP) or counter (HOTP) the code belongs to, when it matched.</param>
public readonly record struct OtpMatch(OtpMatchKind Kind, long Step)
{
    public static OtpMatch None => new(OtpMatchKind.NoMatch, 0);
}
