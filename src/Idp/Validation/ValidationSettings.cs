namespace Idp.Validation;

/// <summary>The <c>Idp:Validation</c> section: the LinOTP/privacyIDEA-compatible check API. Off while no client is listed.</summary>
public sealed class ValidationSettings
{
    public List<ValidationClientSettings> Clients { get; set; } = [];

    /// <summary>Realms a request may name (<c>realm</c>, or <c>user@realm</c> with <see cref="SplitAtSign"/>). Empty: naming any realm is refused.</summary>
    public List<string> Realms { get; set; } = [];

    /// <summary>Read <c>user@realm</c> as user and realm (privacyIDEA's splitAtSign).</summary>
    public bool SplitAtSign { get; set; }

    /// <summary>How long a challenge waits for its code (privacyIDEA's default validity is 120 seconds).</summary>
    public TimeSpan TransactionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest <c>pass</c> accepted: a password of Idp:Password:MaxLength and a code.</summary>
    public int MaxPassLength { get; set; } = 1100;

    /// <summary>
    /// PassthruAssign: how many unassigned tokens (by serial) a code is tried against. Each is a chance for a guess to
    /// match: 10 tokens, a 6-digit code and Otp:Range 1 make one in 33,000 per guess, within Otp:MaxFailures.
    /// </summary>
    public int PassthruAssignCandidates { get; set; } = 10;
}
