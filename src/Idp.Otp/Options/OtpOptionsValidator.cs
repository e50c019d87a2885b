using Idp.Otp.Algorithms;
using Microsoft.Extensions.Options;

namespace Idp.Otp.Options;

/// <summary>Start-up validation of the <c>Otp</c> section: each message names the key, what it must be and what it got.</summary>
public sealed class OtpOptionsValidator : IValidateOptions<OtpOptions>
{
    public ValidateOptionsResult Validate(string? name, OtpOptions options)
    {
        var errors = new List<string>();
        if (options.Interval is < Totp.MinPeriod or > Totp.MaxPeriod)
        {
            errors.Add($"Otp:Interval must be from {Totp.MinPeriod} to {Totp.MaxPeriod} seconds (got {options.Interval}).");
        }

        if (options.Range is < 0 or > 10)
        {
            errors.Add($"Otp:Range must be from 0 to 10 time steps (got {options.Range}).");
        }

        if (options.Digits is < Hotp.MinDigits or > Hotp.MaxDigits)
        {
            errors.Add($"Otp:Digits must be 6, 7 or 8 (got {options.Digits}).");
        }

        if (!OtpHashAlgorithmNames.TryParse(options.Algorithm, out _))
        {
            errors.Add($"Otp:Algorithm must be SHA1, SHA256 or SHA512 (got \"{options.Algorithm}\").");
        }

        if (options.Ttl is < 0)
        {
            errors.Add($"Otp:Ttl must be a number of seconds, or empty for unlimited (got {options.Ttl}).");
        }

        if (options.HotpLookAhead is < 0 or > 100)
        {
            errors.Add($"Otp:HotpLookAhead must be from 0 to 100 (got {options.HotpLookAhead}).");
        }

        if (options.MaxDevices is < 1 or > 100)
        {
            errors.Add($"Otp:MaxDevices must be from 1 to 100 (got {options.MaxDevices}).");
        }

        if (options.DeviceNameMaxLength is < 1 or > 100)
        {
            errors.Add($"Otp:DeviceNameMaxLength must be from 1 to 100 (got {options.DeviceNameMaxLength}).");
        }

        if (options.QrSize is < 100 or > 1000)
        {
            errors.Add($"Otp:QrSize must be from 100 to 1000 pixels (got {options.QrSize}).");
        }

        if (options.SeedLength is < 16 or > 128)
        {
            // RFC 4226 §4 R6: at least 128 bits.
            errors.Add($"Otp:SeedLength must be from 16 to 128 bytes, or empty (got {options.SeedLength}).");
        }

        if (options.LoginTimeout < TimeSpan.FromSeconds(30) || options.LoginTimeout > TimeSpan.FromMinutes(30))
        {
            errors.Add($"Otp:LoginTimeout must be from 00:00:30 to 00:30:00 (got {options.LoginTimeout}).");
        }

        if (options.Retries is < 1 or > 20)
        {
            errors.Add($"Otp:Retries must be from 1 to 20 (got {options.Retries}).");
        }

        if (options.MaxFailures < options.Retries || options.MaxFailures > 1000)
        {
            errors.Add($"Otp:MaxFailures must be at least Otp:Retries and at most 1000 (got {options.MaxFailures}).");
        }

        if (options.ExpiredGracePeriod < TimeSpan.Zero)
        {
            errors.Add($"Otp:ExpiredGracePeriod must be 0 or more (got {options.ExpiredGracePeriod}).");
        }

        if (options.FailureWindow <= TimeSpan.Zero || options.LockoutDuration <= TimeSpan.Zero)
        {
            errors.Add("Otp:FailureWindow and Otp:LockoutDuration must be more than 0.");
        }

        if (options.Issuer is { Length: > 100 })
        {
            errors.Add("Otp:Issuer must be at most 100 characters.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
