namespace Idp.Radius.Codec;

/// <summary>Writes a packet's octets (RFC 2865 §3, §5), with its Length field set.</summary>
internal static class RadiusPacketWriter
{
    public static byte[] Write(RadiusCode code, byte identifier, ReadOnlySpan<byte> authenticator, IEnumerable<RadiusAttribute> attributes)
    {
        var list = attributes.ToList();
        var length = RadiusPacketReader.MinLength + list.Sum(a => 2 + a.Value.Length);
        if (length > RadiusPacketReader.MaxLength || list.Any(a => a.Value.Length is < 1 or > 253))
        {
            throw new ArgumentException("A RADIUS packet is at most 4096 octets, and each attribute value 1 to 253 (RFC 2865 §3, §5).");
        }

        var octets = new byte[length];
        octets[0] = (byte)code;
        octets[1] = identifier;
        octets[2] = (byte)(length >> 8);
        octets[3] = (byte)length;
        authenticator.CopyTo(octets.AsSpan(4, 16));
        var position = RadiusPacketReader.MinLength;
        foreach (var attribute in list)
        {
            octets[position] = attribute.Type;
            octets[position + 1] = (byte)(attribute.Value.Length + 2);
            attribute.Value.CopyTo(octets, position + 2);
            position += attribute.Value.Length + 2;
        }

        return octets;
    }
}
