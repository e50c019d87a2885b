using System.Net;
using Idp.Validation;

namespace Idp.Radius;

/// <summary>A RADIUS client as loaded: its networks parsed, its secret as octets, its pass policy read.</summary>
internal sealed record RadiusClient(string Name, IReadOnlyList<IPNetwork> Networks, byte[] Secret, PassPolicy Policy, bool Passthru, bool RequireMessageAuthenticator)
{
    public bool Contains(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return Networks.Any(n => n.Contains(plain));
    }
}
