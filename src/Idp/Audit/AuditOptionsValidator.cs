using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Audit;

/// <summary>Start-up checks of <c>Idp:Audit</c>; each message names the key.</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<IdpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var errors = new List<string>();
        if (options.Audit.Retention < TimeSpan.FromDays(1))
        {
            errors.Add($"Idp:Audit:Retention must be at least one day (got {options.Audit.Retention}).");
        }

        if (options.Audit.BufferSize is < 1_000 or > 10_000_000)
        {
            errors.Add($"Idp:Audit:BufferSize must be from 1000 to 10000000 (got {options.Audit.BufferSize}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
