using Idp.Otp.Options;
using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// Who must pass the second factor (LemonLDAP::NG's activation rule): at sign-in, by <c>Otp:Activation</c> and
/// <c>Otp:RequiredRoles</c>. What an application demands is <see cref="Oidc.Clients.ClientOptions.DemandsSecondFactor"/>.
/// Credentials of every kind count (<see cref="SecondFactorMethods"/>).
/// <para>A request works on the copy of the devices it read first (a sign-in reads them with the account, before the
/// password hash). That copy may answer "there is a second factor": that only ever asks for more. It may not answer
/// "there is none", which lets the password alone through (Activation=Enrolled, Passthru) or offers it an
/// enrollment: a first device saved while the password was being hashed must count, so the devices are read again.</para>
/// </summary>
public sealed class SecondFactorPolicy(SecondFactorMethods methods, Persistence.Stores.SecondFactorDocumentCopies copies, UserManager<IdpUser> users, IOptionsMonitor<OtpOptions> options, IOptions<Hosting.IdpOptions> idp, TimeProvider time)
{
    /// <summary>
    /// Whether this user must always have a second factor, whatever credentials they have now: Otp:Activation=Required,
    /// a role in Otp:RequiredRoles, or an administrator (/admin demands it). Their last usable credential cannot be
    /// removed by themselves.
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
        var all = await ConfirmedAsync(userId, c => c.IsUsable(now), cancellationToken);
        return new SecondFactorStanding(all.Count(c => c.IsUsable(now)), all.Count(c => methods.IsExpiredWithinGrace(c, now)), all.Count, all.Count(c => c.Disabled));
    }

    public async Task<bool> RequiredAtSignInAsync(IdpUser user, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (user.SecondFactorRequestedAt is not null)
        {
            return true;
        }

        if (settings.RequiredRoles.Count > 0 && (await users.GetRolesAsync(user)).Any(r => settings.RequiredRoles.Contains(r, StringComparer.Ordinal)))
        {
            return true;
        }

        return settings.Activation switch
        {
            OtpActivation.Required => true,
            // Usable credentials count, and disabled ones: an administrator who disables a token means "not with
            // this", never "with the password alone". An expired one no longer signs in (Otp:Ttl) and does not count.
            OtpActivation.Enrolled => await HasUsableOrDisabledAsync(user.Id, cancellationToken),
            _ => false,
        };
    }

    /// <summary>Names of the user's credentials past their lifetime: they no longer sign in, and the user is told so.</summary>
    public async Task<IReadOnlyList<string>> ExpiredDeviceNamesAsync(string userId, CancellationToken cancellationToken)
    {
        if (options.CurrentValue.Ttl is not > 0)
        {
            // Without a lifetime nothing expires: no need to read the devices on every password sign-in.
            return [];
        }

        var now = time.GetUtcNow();
        return [.. (await methods.CredentialsAsync(userId, cancellationToken)).Where(c => !c.Disabled && !c.IsUsable(now)).Select(c => c.Name)];
    }

    /// <summary>
    /// Whether the user has a credential that signs in, or one an administrator disabled. Neither: the password alone
    /// may be let through where a policy allows it (Activation=Enrolled, a validation client's Passthru).
    /// </summary>
    public async Task<bool> HasUsableOrDisabledAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await ConfirmedAsync(userId, c => c.Disabled || c.IsUsable(now), cancellationToken)).Any(c => c.Disabled || c.IsUsable(now));
    }

    /// <summary>Whether the user has any credential at all, usable or not (a token from the pool goes only to someone without).</summary>
    public async Task<bool> HasAnyAsync(string userId, CancellationToken cancellationToken)
        => (await ConfirmedAsync(userId, _ => true, cancellationToken)).Count > 0;

    /// <summary>Credentials that can sign in now.</summary>
    public async Task<IReadOnlyList<SecondFactorCredential>> UsableCredentialsAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return [.. (await ConfirmedAsync(userId, c => c.IsUsable(now), cancellationToken)).Where(c => c.IsUsable(now))];
    }

    /// <summary>
    /// The user's credentials as the request holds them when one of them <paramref name="counts"/>; otherwise, if they
    /// were read before the password was checked, read again: "none" is an answer that copy must not give.
    /// </summary>
    private async Task<IReadOnlyList<SecondFactorCredential>> ConfirmedAsync(string userId, Func<SecondFactorCredential, bool> counts, CancellationToken cancellationToken)
    {
        var all = await methods.CredentialsAsync(userId, cancellationToken);
        return all.Any(counts) || !copies.ForgetIfReadBeforePassword(userId) ? all : await methods.CredentialsAsync(userId, cancellationToken);
    }
}
