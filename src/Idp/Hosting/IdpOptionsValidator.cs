using Microsoft.Extensions.Options;

namespace Idp.Hosting;

/// <summary>
/// Start-up checks of the <c>Idp</c> section's own keys (the issuer, the theme); each area checks its subsection
/// with a validator of its own (AccountOptionsValidator, EdgeOptionsValidator, OidcOptionsValidator, ...), and every
/// message names the key and the fix.
/// </summary>
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

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
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
}
