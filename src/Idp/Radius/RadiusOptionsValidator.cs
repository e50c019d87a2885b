using System.Net;
using Idp.Hosting;
using Idp.Validation;
using Microsoft.Extensions.Options;

namespace Idp.Radius;

/// <summary>Start-up checks of <c>Idp:Radius</c>, each message naming its key.</summary>
internal sealed class RadiusOptionsValidator : IValidateOptions<IdpOptions>
{
    /// <summary>RFC 2865 §3 asks for secrets "at least as large and unguessable as a well-chosen password"; 16 is the usual floor.</summary>
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, IdpOptions options)
    {
        var errors = new List<string>();
        var settings = options.Radius;
        if (!IPAddress.TryParse(settings.Address, out _))
        {
            errors.Add($"Idp:Radius:Address must be an IP address (got \"{settings.Address}\").");
        }

        if (settings.Port is < 1 or > 65535)
        {
            errors.Add($"Idp:Radius:Port must be from 1 to 65535 (got {settings.Port}).");
        }

        if (settings.Enabled && settings.Clients.Count == 0)
        {
            errors.Add("Idp:Radius:Clients must list at least one client when Idp:Radius:Enabled is true.");
        }

        if (settings.DuplicateWindow < TimeSpan.Zero || settings.DuplicateWindow > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Idp:Radius:DuplicateWindow must be from 00:00:00 to 00:01:00 (got {settings.DuplicateWindow}).");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < settings.Clients.Count; i++)
        {
            var client = settings.Clients[i];
            var key = $"Idp:Radius:Clients:{i}";
            if (string.IsNullOrWhiteSpace(client.Name) || !names.Add(client.Name))
            {
                errors.Add($"{key}:Name must be set and unique.");
            }

            errors.AddRange(ValidationOptionsValidator.NetworkErrors($"{key}:Networks", client.Networks));
            if ((client.Secret?.Length ?? 0) < MinSecretLength)
            {
                errors.Add($"{key}:Secret must be at least {MinSecretLength} characters; use a different one for each client.");
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

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
