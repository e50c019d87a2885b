using Idp.Persistence.Entities;

namespace Idp.Accounts.SecondFactor;

/// <summary>What a new pending sign-in is for, decided by the server (see <see cref="PendingSignInPurpose"/>).</summary>
/// <param name="SessionId">The session this one continues (step-up, adding a device, a key change).</param>
/// <param name="AuthTime">The last full sign-in's time, kept by step-up; null: the completion's time.</param>
public sealed record PendingSignInStart(
    string UserId,
    string ReturnUrl,
    string PriorAmr,
    PendingSignInPurpose Purpose,
    string? SessionId = null,
    DateTime? AuthTime = null,
    string? ReplacesDeviceId = null);
