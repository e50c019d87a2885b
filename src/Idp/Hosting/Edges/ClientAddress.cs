using System.Net;
using System.Net.Sockets;

namespace Idp.Hosting;

/// <summary>The unit a per-address limit counts: an IPv4 address, or the leading bits of an IPv6 one.</summary>
internal static class ClientAddress
{
    public static string PartitionKey(IPAddress? address, int ipv6PrefixLength)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        for (var bit = ipv6PrefixLength; bit < 128; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return $"{new IPAddress(bytes)}/{ipv6PrefixLength}";
    }
}
