using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Admin;

/// <summary>Start-up checks of <c>Idp:Admin</c>; each message names the key.</summary>
internal sealed class AdminOptionsValidator : IValidateOptions<IdpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Admin.Role))
        {
            errors.Add("Idp:Admin:Role must name a role (default \"admin\").");
        }

        if (string.IsNullOrWhiteSpace(options.Admin.ApiScope) || options.Admin.ApiScope.Any(c => c is ' ' or '"' or '\\' || char.IsControl(c)))
        {
            errors.Add($"Idp:Admin:ApiScope must be one scope token, without spaces or quotes (got \"{options.Admin.ApiScope}\").");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
