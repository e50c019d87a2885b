namespace Idp.Radius.Codec;

/// <summary>
/// Reads a datagram into a <see cref="RadiusPacket"/>, or says why it is malformed. Every rule is RFC 2865 §3 or §5:
/// a packet that breaks one is silently discarded by the caller, never answered.
/// </summary>
internal static class RadiusPacketReader
{
    /// <summary>§3: "The minimum length is 20 and maximum length is 4096."</summary>
    public const int MinLength = 20;
    public const int MaxLength = 4096;

    public static bool TryRead(ReadOnlySpan<byte> datagram, out RadiusPacket? packet, out string? problem)
    {
        packet = null;
        if (datagram.Length < MinLength)
        {
            problem = $"shorter than {MinLength} octets";
            return false;
        }

        // §3 Length: octets beyond it are padding and ignored; a Length past the datagram or outside 20..4096 is discarded.
        var length = (datagram[2] << 8) | datagram[3];
        if (length < MinLength || length > MaxLength || length > datagram.Length)
        {
            problem = $"the Length field ({length}) does not fit the datagram ({datagram.Length} octets)";
            return false;
        }

        var attributes = new List<RadiusAttribute>();
        var position = MinLength;
        while (position < length)
        {
            // §5: each attribute is Type, Length (2 + value, at least 3 here: empty values are not sent) and Value.
            if (position + 2 > length)
            {
                problem = "an attribute header runs past the packet";
                return false;
            }

            var attributeLength = datagram[position + 1];
            if (attributeLength < 3 || position + attributeLength > length)
            {
                problem = $"attribute {datagram[position]} has a Length ({attributeLength}) that lies";
                return false;
            }

            attributes.Add(new RadiusAttribute(datagram[position], datagram.Slice(position + 2, attributeLength - 2).ToArray()));
            position += attributeLength;
        }

        packet = new RadiusPacket((RadiusCode)datagram[0], datagram[1], datagram.Slice(4, 16).ToArray(), attributes);
        problem = null;
        return true;
    }
}
