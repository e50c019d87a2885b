using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Idp.Hosting;

/// <summary>
/// X-Forwarded-For, -Proto and -Host are believed only when the connection comes from an address or network listed
/// in <c>Idp:KnownProxies</c>. With none listed the middleware is not even installed: the connection's own address
/// stands, so nobody can pick the address that rate limits, audit rows and security notices see.
/// </summary>
internal static class ForwardedHeadersRegistration
{
    public static IServiceCollection AddIdpForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
        => services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            // A chain of listed proxies is walked back to the first address that is not one of them.
            options.ForwardLimit = null;
            foreach (var entry in KnownProxies(configuration))
            {
                if (TryParse(entry, out var network))
                {
                    options.KnownIPNetworks.Add(network);
                }
            }
        });

    public static IApplicationBuilder UseIdpForwardedHeaders(this IApplicationBuilder app, IConfiguration configuration)
        => KnownProxies(configuration).Length == 0 ? app : app.UseForwardedHeaders();

    /// <summary>An address (a network of one) or a CIDR network such as 10.0.0.0/8 or fd00::/8.</summary>
    public static bool TryParse(string entry, out IPNetwork network)
    {
        if (IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        return IPNetwork.TryParse(entry, out network);
    }

    private static string[] KnownProxies(IConfiguration configuration)
        => configuration.GetSection($"{IdpOptions.Section}:KnownProxies").Get<string[]>() ?? [];
}
