namespace Idp.Tokens;

/// <summary>Which tokens a listing shows.</summary>
public enum TokenStateFilter
{
    All,

    /// <summary>Waiting in the pool.</summary>
    Unassigned,

    Assigned,
    Disabled,
}
