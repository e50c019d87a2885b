namespace Idp.Radius.Codec;

/// <summary>A RADIUS packet (RFC 2865 §3): code, identifier, the 16-octet authenticator and the attributes in order.</summary>
internal sealed record RadiusPacket(RadiusCode Code, byte Identifier, byte[] Authenticator, IReadOnlyList<RadiusAttribute> Attributes)
{
    public byte[]? First(byte type) => Attributes.FirstOrDefault(a => a.Type == type)?.Value;

    public int Count(byte type) => Attributes.Count(a => a.Type == type);
}
