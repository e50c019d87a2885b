using System.Net;
using System.Security.Cryptography;
using System.Text;
using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Validation;

/// <summary>
/// The systems allowed to ask <c>/validate/*</c>, from <c>Idp:Validation:Clients</c> (checked at start-up by
/// <see cref="ValidationOptionsValidator"/>). A request is theirs when it comes from one of their networks and, if
/// they have a secret, carries it in <see cref="SecretHeader"/>.
/// </summary>
internal sealed class ValidationClients(IOptions<IdpOptions> options)
{
    public const string SecretHeader = "X-Idp-Validation-Secret";

    public IReadOnlyList<ValidationClient> All { get; } = [.. options.Value.Validation.Clients.Select(Load)];

    public bool Enabled => All.Count > 0;

    /// <summary>The first client whose networks hold the address and whose secret (if any) matches; null otherwise.</summary>
    public ValidationClient? Find(IPAddress? address, string? secret)
        => address is null ? null : All.FirstOrDefault(c => c.Networks.Contains(address) && SecretMatches(c, secret));

    internal static ValidationClient Load(ValidationClientSettings settings)
    {
        return new ValidationClient(settings.Name, ClientNetworks.Parse(settings.Networks), string.IsNullOrEmpty(settings.Secret) ? null : settings.Secret, ValidationClient.ParsePolicy(settings.PassPolicy) ?? PassPolicy.UserStore, settings.Passthru, settings.PassthruAssign);
    }

    private static bool SecretMatches(ValidationClient client, string? presented)
        => client.Secret is null || (presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(client.Secret))));
}
