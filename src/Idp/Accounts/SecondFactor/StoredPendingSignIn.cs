using Idp.Persistence.Entities;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// A sign-in waiting for its second factor, as read from the store: the password was right, but there is no session
/// until the code is. <see cref="Id"/> is the SHA-256 of the browser's random token, so the state works on any node
/// and is bound to that browser. Read-only: every change is one of <see cref="IPendingSignInStore"/>'s single writes.
/// </summary>
public sealed record StoredPendingSignIn
{
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string ReturnUrl { get; init; }

    /// <summary>Authentication methods already proven (RFC 8176), e.g. "pwd".</summary>
    public required string PriorAmr { get; init; }

    public required PendingSignInPurpose Purpose { get; init; }

    /// <summary>The session this one continues (step-up, adding a device, a key change); it must still exist when the step completes.</summary>
    public string? SessionId { get; init; }

    /// <summary>The time of the last full sign-in, kept by step-up (OIDC Core §2 auth_time).</summary>
    public DateTime? AuthTime { get; init; }

    /// <summary>Set when the enrollment gives an existing device a new key instead of adding one.</summary>
    public string? ReplacesDeviceId { get; init; }

    /// <summary>The seed offered for enrollment, encrypted; never sent back from the form.</summary>
    public string? EnrollmentSecret { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }
}
