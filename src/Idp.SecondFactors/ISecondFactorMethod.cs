namespace Idp.SecondFactors;

// The whole contract between the core and a kind of second factor, in one file on purpose: a new kind (recovery
// codes, e-mail codes, passkeys) implements ISecondFactorMethod and is registered; the core needs no change.
// The core owns everything around a check: who must use a factor, the pending sign-in and its purpose, the attempt
// budget and lock (every response goes through one guarded path before VerifyAsync is called), the audit trail,
// sign-in completion (a new session; amr = what was proven + the factor's Amr + "mfa", RFC 8176).

/// <summary>One kind of second factor (TOTP/HOTP is the first).</summary>
public interface ISecondFactorMethod
{
    SecondFactorDescriptor Descriptor { get; }

    /// <summary>The user's credentials of this kind, usable or not; never a secret.</summary>
    Task<IReadOnlyList<SecondFactorCredential>> CredentialsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Checks one response against the user's credentials that <paramref name="eligible"/> admits (and only
    /// <paramref name="credentialId"/> when given), consuming it atomically when accepted, so that the same response
    /// never passes twice, on any node. Called only with an attempt already reserved by the core.
    /// </summary>
    Task<SecondFactorVerification> VerifyAsync(string userId, string? response, string? credentialId, Func<SecondFactorCredential, bool> eligible, CancellationToken cancellationToken);
}

/// <summary>What the core shows and asserts of a kind of factor.</summary>
/// <param name="Kind">A short stable name ("totp"), used in audit details and credential records.</param>
/// <param name="Label">Shown to people on choice screens (Otp:Label for TOTP).</param>
/// <param name="Logo">A file in the theme folder, or null (Otp:Logo for TOTP).</param>
/// <param name="Amr">RFC 8176 values a passed check proves ("otp", "hwk", "swk", ...); the core adds "mfa".</param>
/// <param name="EnrollPage">Where a credential of this kind is registered, or null when it cannot be self-registered.</param>
public sealed record SecondFactorDescriptor(string Kind, string Label, string? Logo, IReadOnlyList<string> Amr, string? EnrollPage);

/// <param name="ExpiresAt">When it stops being accepted for sign-in (a device lifetime), or null.</param>
public sealed record SecondFactorCredential(string Id, string Kind, string Name, DateTimeOffset RegisteredAt, DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt)
{
    public bool IsUsable(DateTimeOffset now) => ExpiresAt is not { } expiry || expiry > now;
}

public enum SecondFactorVerdict
{
    Accepted,

    /// <summary>Malformed, wrong, or for no eligible credential: the core counts it as a wrong attempt.</summary>
    Rejected,

    /// <summary>Right but already used (RFC 6238 §5.2); counted as a wrong attempt.</summary>
    Replayed,
}

/// <param name="CredentialId">The credential that answered (accepted or replayed).</param>
public sealed record SecondFactorVerification(SecondFactorVerdict Verdict, string? CredentialId = null);
