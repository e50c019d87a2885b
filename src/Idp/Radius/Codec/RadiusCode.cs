namespace Idp.Radius.Codec;

/// <summary>RFC 2865 §3 packet codes this server reads or writes.</summary>
internal enum RadiusCode : byte
{
    AccessRequest = 1,
    AccessAccept = 2,
    AccessReject = 3,
    AccessChallenge = 11,
}
