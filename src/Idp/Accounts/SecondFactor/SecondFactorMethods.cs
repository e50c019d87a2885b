using Idp.Otp.Options;
using Idp.SecondFactors;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// Every registered kind of second factor, seen as one: the core asks here for a user's credentials and checks a
/// response against all kinds, knowing them only through <see cref="ISecondFactorMethod"/>.
/// </summary>
public sealed class SecondFactorMethods(IEnumerable<ISecondFactorMethod> methods, IOptionsMonitor<OtpOptions> options)
{
    public IReadOnlyList<ISecondFactorMethod> All { get; } = [.. methods];

    public async Task<IReadOnlyList<SecondFactorCredential>> CredentialsAsync(string userId, CancellationToken cancellationToken)
    {
        var all = new List<SecondFactorCredential>();
        foreach (var method in All)
        {
            all.AddRange(await method.CredentialsAsync(userId, cancellationToken));
        }

        return all;
    }

    /// <summary>Past its lifetime, but within Otp:ExpiredGracePeriod of it: its response still proves possession for re-enrollment.</summary>
    public bool IsExpiredWithinGrace(SecondFactorCredential credential, DateTimeOffset now)
        => !credential.Disabled && credential.ExpiresAt is { } expiry && expiry <= now && now < expiry + options.CurrentValue.ExpiredGracePeriod;

    /// <summary>
    /// The response checked by each kind in turn, against the credentials <paramref name="eligible"/> admits; the
    /// first that accepts it wins. Only ever called by <see cref="SecondFactorAttempts"/>' guarded path.
    /// </summary>
    public async Task<(SecondFactorVerdict Verdict, ISecondFactorMethod? Method, string? CredentialId)> VerifyAsync(string userId, string? response, string? credentialId, Func<SecondFactorCredential, bool> eligible, CancellationToken cancellationToken)
    {
        (SecondFactorVerdict, ISecondFactorMethod?, string?) outcome = (SecondFactorVerdict.Rejected, null, null);
        foreach (var method in All)
        {
            var result = await method.VerifyAsync(userId, response, credentialId, eligible, cancellationToken);
            if (result.Verdict == SecondFactorVerdict.Accepted)
            {
                return (result.Verdict, method, result.CredentialId);
            }

            if (result.Verdict == SecondFactorVerdict.Replayed)
            {
                outcome = (result.Verdict, method, result.CredentialId);
            }
        }

        return outcome;
    }

    /// <summary>The kind that holds <paramref name="credentialId"/> for this user, or null.</summary>
    public async Task<ISecondFactorMethod?> OwnerAsync(string userId, string? credentialId, CancellationToken cancellationToken)
    {
        foreach (var method in All)
        {
            if ((await method.CredentialsAsync(userId, cancellationToken)).Any(c => c.Id == credentialId))
            {
                return method;
            }
        }

        return null;
    }

    public static CodeVerdict Verdict(SecondFactorVerdict verdict) => verdict switch
    {
        SecondFactorVerdict.Accepted => CodeVerdict.Accepted,
        SecondFactorVerdict.Replayed => CodeVerdict.Replayed,
        _ => CodeVerdict.Wrong,
    };
}
