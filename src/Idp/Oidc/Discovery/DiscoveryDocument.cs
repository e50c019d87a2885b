using System.Text.Json;
using Idp.Hosting;
using Idp.Oidc.Keys;
using Idp.Oidc.Tokens;
using Microsoft.Extensions.Options;

namespace Idp.Oidc.Discovery;

/// <summary>
/// The discovery document as served, serialised once per node: nothing in it changes while the node runs (options
/// are read at start-up, the issuer is fixed), and every relying party fetches it.
/// </summary>
internal sealed class DiscoveryDocument(TokenFactory tokens, SigningKeyService keys, IOptions<IdpOptions> options)
{
    private readonly Lazy<string> _json = new(() => JsonSerializer.Serialize(DiscoveryEndpoint.Build(tokens, keys, options), JsonSerializerOptions.Web));

    public string Json => _json.Value;
}
