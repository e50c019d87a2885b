namespace Idp.Oidc.EndSession;

/// <summary>What an end-session request leads to.</summary>
public enum EndSessionDecision
{
    /// <summary>The hint names the signed-in person: the session ends at once.</summary>
    SignOut,

    /// <summary>No hint, or a hint for someone else: the person confirms, so a stray link cannot sign anyone out.</summary>
    AskFirst,

    /// <summary>Nobody is signed in: go straight back (or say so).</summary>
    NothingToEnd,
}
