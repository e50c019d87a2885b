namespace Idp.Oidc.Grants;

public enum ConsumeStatus
{
    Consumed,
    NotFound,
    Expired,

    /// <summary>Already consumed: a replay. The grant it belongs to has been revoked.</summary>
    Reused,

    /// <summary>Live, but its grant is revoked or its user gone or locked by an administrator: refused, and not consumed.</summary>
    Refused,
}
