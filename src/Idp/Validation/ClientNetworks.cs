using System.Net;
using Idp.Hosting;

namespace Idp.Validation;

/// <summary>
/// The addresses a validation or RADIUS client may send from, parsed once from configuration (already checked by
/// the options validators). An IPv4 peer seen on a dual-stack socket as ::ffff:a.b.c.d matches its IPv4 networks.
/// </summary>
internal sealed class ClientNetworks(IReadOnlyList<IPNetwork> networks)
{
    public IReadOnlyList<IPNetwork> All { get; } = networks;

    public static ClientNetworks Parse(IEnumerable<string> entries)
        => new([.. entries.Select(n => ForwardedHeadersRegistration.TryParse(n.Trim(), out var network) ? network : (IPNetwork?)null).OfType<IPNetwork>()]);

    public bool Contains(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return All.Any(n => n.Contains(plain));
    }

    public override string ToString() => string.Join(' ', All);
}
