namespace Idp.Radius.Codec;

/// <summary>One attribute (RFC 2865 §5): type, and a value of 1 to 253 octets.</summary>
internal sealed record RadiusAttribute(byte Type, byte[] Value);
