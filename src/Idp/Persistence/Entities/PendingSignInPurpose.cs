namespace Idp.Persistence.Entities;

/// <summary>
/// Why a pending sign-in exists, set by the server when it is created and never from a request. Each second-factor
/// page accepts only the purposes it serves: the enrollment page never opens for a plain sign-in (NIST SP 800-63B
/// §6.1.2.1: binding another authenticator needs the level it will be used at).
/// </summary>
public enum PendingSignInPurpose
{
    /// <summary>A code from a usable device completes the sign-in (also step-up from a password-only session).</summary>
    SignIn,

    /// <summary>The user's devices have all expired (Otp:Ttl): a code from one of them, within Otp:ExpiredGracePeriod, opens enrollment.</summary>
    ProveExpired,

    /// <summary>The user has no device at all and a second factor is required: the password alone enrolls the first one.</summary>
    ForcedEnrollment,

    /// <summary>Another device from /2fregisters, opened only after a fresh code; the session goes on unchanged.</summary>
    AddDevice,

    /// <summary>A new key for an existing device (Otp:UserCanChangeKey), opened only after a fresh code.</summary>
    ChangeKey,
}
