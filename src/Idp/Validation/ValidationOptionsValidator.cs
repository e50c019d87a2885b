using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Validation;

/// <summary>Start-up checks of <c>Idp:Validation</c>, each message naming its key.</summary>
internal sealed class ValidationOptionsValidator : IValidateOptions<IdpOptions>
{
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var errors = new List<string>();
        var settings = options.Validation;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < settings.Clients.Count; i++)
        {
            var client = settings.Clients[i];
            var key = $"Idp:Validation:Clients:{i}";
            if (string.IsNullOrWhiteSpace(client.Name) || !names.Add(client.Name))
            {
                errors.Add($"{key}:Name must be set and unique.");
            }

            errors.AddRange(NetworkErrors($"{key}:Networks", client.Networks));
            if (client.Secret is { Length: > 0 and < MinSecretLength })
            {
                errors.Add($"{key}:Secret must be at least {MinSecretLength} characters (or left out).");
            }

            if (ValidationClient.ParsePolicy(client.PassPolicy) is null)
            {
                errors.Add($"{key}:PassPolicy must be userstore, none or challenge (got \"{client.PassPolicy}\").");
            }

            if (client.PassthruAssign && (client.Passthru || ValidationClient.ParsePolicy(client.PassPolicy) != PassPolicy.UserStore))
            {
                errors.Add($"{key}:PassthruAssign needs PassPolicy userstore (the password, then the code) and cannot be combined with {key}:Passthru.");
            }
        }

        if (settings.TransactionLifetime < TimeSpan.FromSeconds(10) || settings.TransactionLifetime > TimeSpan.FromMinutes(30))
        {
            errors.Add($"Idp:Validation:TransactionLifetime must be from 00:00:10 to 00:30:00 (got {settings.TransactionLifetime}).");
        }

        if (settings.PassthruAssignCandidates is < 1 or > 100)
        {
            errors.Add($"Idp:Validation:PassthruAssignCandidates must be from 1 to 100 (got {settings.PassthruAssignCandidates}).");
        }

        if (settings.MaxPassLength is < 8 or > 4096)
        {
            errors.Add($"Idp:Validation:MaxPassLength must be from 8 to 4096 (got {settings.MaxPassLength}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>At least one entry, each an IP address or a CIDR network (shared with Idp:Radius:Clients).</summary>
    public static IEnumerable<string> NetworkErrors(string key, IReadOnlyList<string> networks)
    {
        if (networks.Count == 0)
        {
            yield return $"{key} must list at least one address or CIDR network.";
        }

        for (var i = 0; i < networks.Count; i++)
        {
            if (!ForwardedHeadersRegistration.TryParse(networks[i]?.Trim() ?? string.Empty, out _))
            {
                yield return $"{key}:{i} is not an IP address or CIDR network (got \"{networks[i]}\").";
            }
        }
    }
}
