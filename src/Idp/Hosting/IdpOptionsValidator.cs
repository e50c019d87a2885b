using Microsoft.Extensions.Options;

namespace Idp.Hosting;

/// <summary>Start-up checks of the <c>Idp</c> section; each message names the key and the fix.</summary>
internal sealed class IdpOptionsValidator(IHostEnvironment environment) : IValidateOptions<IdpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var errors = new List<string>();
        ValidateIssuer(options.Issuer, errors);

        if (string.IsNullOrWhiteSpace(options.Theme) || options.Theme.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            errors.Add($"Idp:Theme must be a folder name under themes/ made of letters, digits, '-' and '_' (got \"{options.Theme}\").");
        }

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

        if (options.Session.IdleTimeout < TimeSpan.FromMinutes(1))
        {
            errors.Add($"Idp:Session:IdleTimeout must be at least one minute (got {options.Session.IdleTimeout}).");
        }

        var limits = options.RateLimits;
        foreach (var (key, value) in new[] { ("SignInPerMinute", limits.SignInPerMinute), ("AuthorizePerMinute", limits.AuthorizePerMinute), ("TokenPerMinute", limits.TokenPerMinute), ("TokenInspectionPerMinute", limits.TokenInspectionPerMinute), ("AdminApiPerMinute", limits.AdminApiPerMinute) })
        {
            if (value is < 1 or > 1_000_000)
            {
                errors.Add($"Idp:RateLimits:{key} must be from 1 to 1000000 (got {value}).");
            }
        }

        ValidateRequestLimits(options.Limits, errors);

        if (options.Hsts.MaxAge < TimeSpan.Zero || options.Hsts.MaxAge > TimeSpan.FromDays(730))
        {
            errors.Add($"Idp:Hsts:MaxAge must be from 00:00:00 to 730 days (got {options.Hsts.MaxAge}).");
        }

        if (limits.IPv6PrefixLength is < 32 or > 128)
        {
            errors.Add($"Idp:RateLimits:IPv6PrefixLength must be from 32 to 128 (got {limits.IPv6PrefixLength}).");
        }

        if (string.IsNullOrWhiteSpace(options.Admin.Role))
        {
            errors.Add("Idp:Admin:Role must name a role (default \"admin\").");
        }

        if (string.IsNullOrWhiteSpace(options.Admin.ApiScope) || options.Admin.ApiScope.Any(c => c is ' ' or '"' or '\\' || char.IsControl(c)))
        {
            errors.Add($"Idp:Admin:ApiScope must be one scope token, without spaces or quotes (got \"{options.Admin.ApiScope}\").");
        }

        ValidateMail(options.Mail, errors);

        if (options.Audit.Retention < TimeSpan.FromDays(1))
        {
            errors.Add($"Idp:Audit:Retention must be at least one day (got {options.Audit.Retention}).");
        }

        if (options.Audit.BufferSize is < 1_000 or > 10_000_000)
        {
            errors.Add($"Idp:Audit:BufferSize must be from 1000 to 10000000 (got {options.Audit.BufferSize}).");
        }

        ValidateTokens(options.Tokens, errors);
        foreach (var (level, value) in new[] { ("Password", options.Acr.Password), ("SecondFactor", options.Acr.SecondFactor) })
        {
            // acr_values is a space-separated list (OIDC Core §3.1.2.1): a value cannot hold a space.
            if (string.IsNullOrWhiteSpace(value) || value.Any(c => c == ' ' || char.IsControl(c)) || value.Length > 200)
            {
                errors.Add($"Idp:Acr:{level} must be one acr value without spaces, at most 200 characters (got \"{value}\").");
            }
        }

        if (options.Acr.Password == options.Acr.SecondFactor)
        {
            errors.Add($"Idp:Acr:Password and Idp:Acr:SecondFactor must differ (both \"{options.Acr.Password}\").");
        }

        Oidc.Clients.ClientOptionsValidator.Validate(options.Clients, options.Acr, errors);

        if (options.ForwardLimit is < 1 or > 10)
        {
            errors.Add($"Idp:ForwardLimit must be from 1 to 10 (got {options.ForwardLimit}).");
        }

        if (options.Lockout.Duration > TimeSpan.FromDays(30))
        {
            errors.Add($"Idp:Lockout:Duration must be at most 30 days; an account locked until unlocked is an administrator's lock (got {options.Lockout.Duration}).");
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

    private static void ValidateTokens(TokenSettings tokens, List<string> errors)
    {
        if (!Oidc.Protocol.SigningAlgorithms.Supported.Contains(tokens.SigningAlgorithm))
        {
            errors.Add($"Idp:Tokens:SigningAlgorithm must be RS256 or ES256 (got \"{tokens.SigningAlgorithm}\").");
        }

        void Range(string name, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
            {
                errors.Add($"Idp:Tokens:{name} must be from {min} to {max} (got {value}).");
            }
        }

        Range(nameof(tokens.AuthorizationCodeLifetime), tokens.AuthorizationCodeLifetime, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));
        Range(nameof(tokens.AccessTokenLifetime), tokens.AccessTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        Range(nameof(tokens.IdTokenLifetime), tokens.IdTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        Range(nameof(tokens.RefreshTokenLifetime), tokens.RefreshTokenLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(365));
        Range(nameof(tokens.InteractionLifetime), tokens.InteractionLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        Range(nameof(tokens.KeyRotationInterval), tokens.KeyRotationInterval, TimeSpan.FromDays(1), TimeSpan.FromDays(365));
        Range(nameof(tokens.KeyPublishAhead), tokens.KeyPublishAhead, TimeSpan.Zero, tokens.KeyRotationInterval);
    }

    private void ValidateIssuer(string? issuer, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(issuer))
        {
            if (!environment.IsDevelopment())
            {
                errors.Add("Idp:Issuer is required outside Development: the public https URL of this IdP, e.g. https://login.example.com.");
            }

            return;
        }

        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            errors.Add($"Idp:Issuer must be an absolute http(s) URL (got \"{issuer}\").");
            return;
        }

        // OIDC Discovery §3: the issuer is https with no query or fragment; http only on loopback, for local testing.
        if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            errors.Add($"Idp:Issuer must use https; http is accepted only for a loopback host (got \"{issuer}\").");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add($"Idp:Issuer must have no query or fragment (got \"{issuer}\").");
        }
    }

    private static void ValidateMail(Accounts.Notices.MailSettings mail, List<string> errors)
    {
        if (!mail.IsEnabled())
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(mail.Host) && !string.IsNullOrWhiteSpace(mail.PickupDirectory))
        {
            errors.Add("Idp:Mail: set Host (SMTP) or PickupDirectory, not both.");
        }

        if (string.IsNullOrWhiteSpace(mail.From) || !System.Net.Mail.MailAddress.TryCreate(mail.From, out _))
        {
            errors.Add($"Idp:Mail:From must be an e-mail address when mail is on (got \"{mail.From}\").");
        }

        if (mail.Port is < 1 or > 65535)
        {
            errors.Add($"Idp:Mail:Port must be from 1 to 65535 (got {mail.Port}).");
        }
    }
}
