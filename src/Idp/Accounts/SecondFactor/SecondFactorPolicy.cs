using Idp.Otp.Abstractions;
using Idp.Otp.Options;
using Idp.Otp.Verification;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// Who must pass the second factor (LemonLDAP::NG's activation rule): at sign-in, by <c>Otp:Activation</c> and
/// <c>Otp:RequiredRoles</c>. What an application demands is <see cref="Oidc.Clients.ClientOptions.DemandsSecondFactor"/>.
/// </summary>
public sealed class SecondFactorPolicy(IOtpDeviceStore devices, OtpVerificationService verification, UserManager<IdpUser> users, IOptionsMonitor<OtpOptions> options, IOptions<Hosting.IdpOptions> idp, TimeProvider time)
{
    /// <summary>
    /// Whether this user must always have a second factor, whatever devices they have now: Otp:Activation=Required,
    /// a role in Otp:RequiredRoles, or an administrator (/admin demands it). Their last device cannot be removed
    /// by themselves.
    /// </summary>
    public async Task<bool> AlwaysRequiredAsync(IdpUser user)
    {
        var settings = options.CurrentValue;
        if (settings.Activation == OtpActivation.Required)
        {
            return true;
        }

        var roles = await users.GetRolesAsync(user);
        return roles.Contains(idp.Value.Admin.Role, StringComparer.Ordinal) || roles.Any(r => settings.RequiredRoles.Contains(r, StringComparer.Ordinal));
    }

    public async Task<SecondFactorStanding> StandingAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var all = (await devices.LoadAsync(userId, cancellationToken)).Document.Devices;
        return new SecondFactorStanding(all.Count(d => verification.IsUsable(d, now)), all.Count(d => verification.IsExpiredWithinGrace(d, now)), all.Count);
    }

    public async Task<bool> RequiredAtSignInAsync(IdpUser user, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.RequiredRoles.Count > 0 && (await users.GetRolesAsync(user)).Any(r => settings.RequiredRoles.Contains(r, StringComparer.Ordinal)))
        {
            return true;
        }

        return settings.Activation switch
        {
            OtpActivation.Required => true,
            // Only usable devices count: an expired one no longer signs in (Otp:Ttl).
            OtpActivation.Enrolled => (await UsableDevicesAsync(user.Id, cancellationToken)).Count > 0,
            _ => false,
        };
    }

    /// <summary>Names of the user's devices past <c>Otp:Ttl</c>: they no longer sign in, and the user is told so.</summary>
    public async Task<IReadOnlyList<string>> ExpiredDeviceNamesAsync(string userId, CancellationToken cancellationToken)
    {
        var ttl = options.CurrentValue.Ttl;
        if (ttl is not > 0)
        {
            // Without a lifetime nothing expires: no need to read the devices on every password sign-in.
            return [];
        }

        var now = time.GetUtcNow();
        return [.. (await devices.LoadAsync(userId, cancellationToken)).Document.Devices.Where(d => d.IsExpired(ttl, now)).Select(d => d.Name)];
    }

    /// <summary>Devices that can sign in now (not past <c>Otp:Ttl</c>).</summary>
    public async Task<IReadOnlyList<Idp.Otp.Devices.OtpDevice>> UsableDevicesAsync(string userId, CancellationToken cancellationToken)
        => verification.UsableDevices((await devices.LoadAsync(userId, cancellationToken)).Document, null, time.GetUtcNow());
}
