using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Accounts;

/// <summary>Start-up checks of <c>Idp:Setup</c>, <c>Idp:Password</c>, <c>Idp:Lockout</c> and <c>Idp:Session</c>; each message names the key.</summary>
internal sealed class AccountOptionsValidator : IValidateOptions<IdpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var errors = new List<string>();
        if (options.Setup.TokenLifetime <= TimeSpan.Zero || options.Setup.TokenLifetime > TimeSpan.FromDays(1))
        {
            errors.Add($"Idp:Setup:TokenLifetime must be more than 0 and at most 1 day (got {options.Setup.TokenLifetime}).");
        }

        if (options.Password.MinLength is < 8 or > 128)
        {
            errors.Add($"Idp:Password:MinLength must be from 8 to 128 (got {options.Password.MinLength}).");
        }

        if (options.Password.MaxLength < options.Password.MinLength || options.Password.MaxLength > 1024)
        {
            errors.Add($"Idp:Password:MaxLength must be at least Idp:Password:MinLength and at most 1024 (got {options.Password.MaxLength}).");
        }

        if (options.Lockout.MaxFailedAttempts is < 1 or > 100)
        {
            errors.Add($"Idp:Lockout:MaxFailedAttempts must be from 1 to 100 (got {options.Lockout.MaxFailedAttempts}).");
        }

        if (options.Lockout.Duration <= TimeSpan.Zero)
        {
            errors.Add($"Idp:Lockout:Duration must be more than 0 (got {options.Lockout.Duration}).");
        }

        if (options.Lockout.Duration > TimeSpan.FromDays(30))
        {
            errors.Add($"Idp:Lockout:Duration must be at most 30 days; an account locked until unlocked is an administrator's lock (got {options.Lockout.Duration}).");
        }

        if (options.Session.IdleTimeout < TimeSpan.FromMinutes(1))
        {
            errors.Add($"Idp:Session:IdleTimeout must be at least one minute (got {options.Session.IdleTimeout}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
