using Microsoft.Extensions.Options;

namespace Idp.Hosting;

/// <summary>
/// Start-up checks of what guards the edge: <c>Idp:RateLimits</c>, <c>Idp:Limits</c>, <c>Idp:Hsts</c>,
/// <c>Idp:KnownProxies</c> and <c>Idp:ForwardLimit</c>; each message names the key.
/// </summary>
internal sealed class EdgeOptionsValidator : IValidateOptions<IdpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var errors = new List<string>();
        var limits = options.RateLimits;
        foreach (var (key, value) in new[] { ("SignInPerMinute", limits.SignInPerMinute), ("AuthorizePerMinute", limits.AuthorizePerMinute), ("TokenPerMinute", limits.TokenPerMinute), ("TokenInspectionPerMinute", limits.TokenInspectionPerMinute), ("AdminApiPerMinute", limits.AdminApiPerMinute) })
        {
            if (value is < 1 or > 1_000_000)
            {
                errors.Add($"Idp:RateLimits:{key} must be from 1 to 1000000 (got {value}).");
            }
        }

        if (limits.IPv6PrefixLength is < 32 or > 128)
        {
            errors.Add($"Idp:RateLimits:IPv6PrefixLength must be from 32 to 128 (got {limits.IPv6PrefixLength}).");
        }

        ValidateRequestLimits(options.Limits, errors);

        if (options.Hsts.MaxAge < TimeSpan.Zero || options.Hsts.MaxAge > TimeSpan.FromDays(730))
        {
            errors.Add($"Idp:Hsts:MaxAge must be from 00:00:00 to 730 days (got {options.Hsts.MaxAge}).");
        }

        if (options.ForwardLimit is < 1 or > 10)
        {
            errors.Add($"Idp:ForwardLimit must be from 1 to 10 (got {options.ForwardLimit}).");
        }

        foreach (var proxy in options.KnownProxies)
        {
            if (!ForwardedHeadersRegistration.TryParse(proxy, out _))
            {
                errors.Add($"Idp:KnownProxies must hold IP addresses or CIDR networks such as 10.0.0.0/8 (got \"{proxy}\").");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateRequestLimits(RequestLimitSettings limits, List<string> errors)
    {
        if (limits.MaxBodyBytes is < 16 * 1024 or > 100 * 1024 * 1024)
        {
            errors.Add($"Idp:Limits:MaxBodyBytes must be from 16384 to 104857600 (got {limits.MaxBodyBytes}).");
        }

        if (limits.MaxFormFields is < 20 or > 10_000)
        {
            errors.Add($"Idp:Limits:MaxFormFields must be from 20 to 10000 (got {limits.MaxFormFields}).");
        }

        if (limits.MaxFieldLength is < 8 * 1024 or > 1024 * 1024)
        {
            errors.Add($"Idp:Limits:MaxFieldLength must be from 8192 to 1048576 (got {limits.MaxFieldLength}).");
        }

        if (limits.PendingAuthorizationBytes is < 4 * 1024 or > 1024 * 1024)
        {
            errors.Add($"Idp:Limits:PendingAuthorizationBytes must be from 4096 to 1048576 (got {limits.PendingAuthorizationBytes}).");
        }
    }
}
