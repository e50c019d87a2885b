namespace Idp.Radius.Codec;

/// <summary>RFC 2865 §5 and RFC 3579 §3.2 attribute types this server reads or writes.</summary>
internal static class RadiusAttributeType
{
    public const byte UserName = 1;
    public const byte UserPassword = 2;
    public const byte ReplyMessage = 18;
    public const byte State = 24;
    public const byte MessageAuthenticator = 80;
}
