using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Oidc.Clients;

/// <summary>The configured clients, by id.</summary>
public sealed class ClientRegistry(IOptions<IdpOptions> options)
{
    private readonly Dictionary<string, ClientOptions> _clients = options.Value.Clients
        .GroupBy(c => c.ClientId, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public ClientOptions? Find(string? clientId) => clientId is not null && _clients.TryGetValue(clientId, out var client) ? client : null;

    public IEnumerable<ClientOptions> All => _clients.Values;
}
