namespace Idp.Oidc.Grants;

public enum ConsumeStatus
{
    Consumed,
    NotFound,
    Expired,

    /// <summary>Already consumed: a replay. The grant it belongs to has been revoked.</summary>
    Reused,
}
