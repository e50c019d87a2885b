using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Idp.Hosting;

/// <summary>
/// X-Forwarded-For, -Proto and -Host are believed only when the connection comes from an address or network listed
/// in <c>Idp:KnownProxies</c>. With none listed the middleware is not even installed: the connection's own address
/// stands, so nobody can pick the address that rate limits, audit rows and security notices see.
/// </summary>
internal static class ForwardedHeadersRegistration
{
    public static IServiceCollection AddIdpForwardedHeaders(this IServiceCollection services)
        => services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<IdpOptions>>((options, idp) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            // Only as many entries as there are proxies in front (Idp:ForwardLimit): with a broad range such as
            // 10.0.0.0/8 listed, a client inside it could otherwise prepend addresses of its choosing.
            options.ForwardLimit = idp.Value.ForwardLimit;
            foreach (var entry in idp.Value.KnownProxies)
            {
                if (TryParse(entry, out var network))
                {
                    options.KnownIPNetworks.Add(network);
                }
            }
        }).Services;

    public static IApplicationBuilder UseIdpForwardedHeaders(this IApplicationBuilder app)
        => app.ApplicationServices.GetRequiredService<IOptions<IdpOptions>>().Value.KnownProxies.Count > 0
            ? app.UseForwardedHeaders()
            : app.Use(WarnOnceAboutIgnoredHeaders(app.ApplicationServices));

    /// <summary>
    /// A proxy sends X-Forwarded-For but none is listed: every client then looks like the proxy, and one client's
    /// limit is everyone's. Said once in the log, so the deployer finds out before users do.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> WarnOnceAboutIgnoredHeaders(IServiceProvider services)
    {
        var warned = 0;
        return (context, next) =>
        {
            if (context.Request.Headers.ContainsKey("X-Forwarded-For") && Interlocked.Exchange(ref warned, 1) == 0)
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ForwardedHeadersRegistration)).LogWarning(
                    "A request came with X-Forwarded-For from {Address}, but Idp:KnownProxies is empty: the header is ignored, and every client behind that proxy shares its address (and its rate limits). List the proxy in Idp:KnownProxies.",
                    context.Connection.RemoteIpAddress);
            }

            return next(context);
        };
    }

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
}
