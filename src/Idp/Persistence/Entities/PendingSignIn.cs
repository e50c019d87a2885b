namespace Idp.Persistence.Entities;

/// <summary>
/// A sign-in waiting for its second factor: the password was right, but there is no session until the code is.
/// The browser holds a random token in a cookie; only its SHA-256 is stored here (<see cref="Id"/>), so the state
/// works on any node and is bound to that browser. During enrollment it also holds the new seed, encrypted.
/// </summary>
public sealed class PendingSignIn
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public required string ReturnUrl { get; set; }

    /// <summary>Authentication methods already proven (RFC 8176), e.g. "pwd".</summary>
    public required string PriorAmr { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>Wrong codes on this page so far (Otp:Retries).</summary>
    public int Failures { get; set; }

    /// <summary>The seed offered for enrollment, encrypted; never sent back from the form.</summary>
    public string? EnrollmentSecret { get; set; }

    /// <summary>Set when the enrollment gives an existing device a new key (Otp:UserCanChangeKey) instead of adding one.</summary>
    public string? ReplacesDeviceId { get; set; }

    /// <summary>What this pending sign-in may lead to; set by the server (see <see cref="PendingSignInPurpose"/>).</summary>
    public PendingSignInPurpose Purpose { get; set; }

    /// <summary>
    /// The session this one continues (step-up, adding a device, a key change): it must still exist when the step
    /// completes, and a step-up replaces it with a new session id.
    /// </summary>
    public string? SessionId { get; set; }

    /// <summary>The time of the last full sign-in, kept by step-up: a code never counts as re-entering the password (OIDC Core §2 auth_time).</summary>
    public DateTime? AuthTime { get; set; }
}
