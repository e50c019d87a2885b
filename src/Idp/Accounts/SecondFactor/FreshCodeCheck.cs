using Idp.Oidc.Authorize;
using Idp.SecondFactors;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// The fresh code /2fregisters asks for before a sensitive change (OWASP ASVS V3.7.1; NIST SP 800-63B §6.1.2.1 for
/// adding a device), checked through the one guarded path, so its guesses spend the same budget as sign-in.
/// </summary>
public sealed class FreshCodeCheck(SecondFactorAttempts attempts, SecondFactorPolicy policy, SecondFactorMethods methods, TimeProvider time)
{
    /// <summary>Whether adding a device needs a code: it does whenever the user has any device at all.</summary>
    public async Task<bool> NeededToAddAsync(string userId, CancellationToken cancellationToken)
        => (await policy.StandingAsync(userId, cancellationToken)).Registered > 0;

    /// <summary>
    /// Before adding a device: a code from a usable device; when every device has expired, one from an expired device
    /// within Otp:ExpiredGracePeriod (after that, only an administrator reopens enrollment).
    /// </summary>
    public async Task<CodeCheck> ForAddingAsync(SessionInfo session, string? code, CancellationToken cancellationToken)
    {
        var standing = await policy.StandingAsync(session.UserId, cancellationToken);
        var now = time.GetUtcNow();
        Func<SecondFactorCredential, bool> eligible = standing.Usable > 0 ? c => c.IsUsable(now) : c => methods.IsExpiredWithinGrace(c, now);
        return await CheckAsync(session.UserId, code, "adding a device", eligible, cancellationToken);
    }

    /// <summary>
    /// Before removing, showing or re-keying <paramref name="targetDeviceId"/>: a code from that device, or from a
    /// usable device that was not registered (or re-keyed) in this session: a device added with a stolen session
    /// cannot vouch for the others.
    /// </summary>
    public Task<CodeCheck> ForChangingAsync(SessionInfo session, string? targetDeviceId, string? code, string action, CancellationToken cancellationToken)
        => CheckAsync(session.UserId, code, action, c => c.IsUsable(time.GetUtcNow()) && (c.Id == targetDeviceId || c.RegisteredAt < session.AuthTime), cancellationToken);

    private Task<CodeCheck> CheckAsync(string userId, string? code, string action, Func<SecondFactorCredential, bool> eligible, CancellationToken cancellationToken)
        => attempts.CheckAsync(userId, pending: null, action, async ct =>
        {
            var (verdict, method, credential) = await methods.VerifyAsync(userId, code, credentialId: null, eligible, ct);
            return (SecondFactorMethods.Verdict(verdict), credential is null ? null : $"{method!.Descriptor.Kind} {credential}");
        }, cancellationToken);
}
