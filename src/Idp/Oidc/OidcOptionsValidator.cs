using Idp.Hosting;
using Idp.Oidc.Tokens;
using Microsoft.Extensions.Options;

namespace Idp.Oidc;

/// <summary>Start-up checks of <c>Idp:Tokens</c>, <c>Idp:Acr</c> and <c>Idp:Clients</c>; each message names the key.</summary>
internal sealed class OidcOptionsValidator : IValidateOptions<IdpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var errors = new List<string>();
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

        Clients.ClientOptionsValidator.Validate(options.Clients, options.Acr, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateTokens(TokenSettings tokens, List<string> errors)
    {
        if (!Protocol.SigningAlgorithms.Supported.Contains(tokens.SigningAlgorithm))
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
}
