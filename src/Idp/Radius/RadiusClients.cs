using System.Net;
using System.Text;
using Idp.Hosting;
using Idp.Validation;
using Microsoft.Extensions.Options;

namespace Idp.Radius;

/// <summary>The NASes of <c>Idp:Radius:Clients</c>; a packet from any other address is discarded (RFC 2865 §3).</summary>
internal sealed class RadiusClients(IOptions<IdpOptions> options)
{
    public IReadOnlyList<RadiusClient> All { get; } = [.. options.Value.Radius.Clients.Select(c => Load(c, options.Value.Radius.RequireMessageAuthenticator))];

    public RadiusClient? Find(IPAddress address) => All.FirstOrDefault(c => c.Networks.Contains(address));

    private static RadiusClient Load(RadiusClientSettings settings, bool requireMessageAuthenticator)
    {
        return new RadiusClient(settings.Name, ClientNetworks.Parse(settings.Networks), Encoding.UTF8.GetBytes(settings.Secret), ValidationClient.ParsePolicy(settings.PassPolicy) ?? PassPolicy.UserStore, settings.Passthru,
            settings.RequireMessageAuthenticator ?? requireMessageAuthenticator, settings.PassthruAssign);
    }
}
