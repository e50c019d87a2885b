namespace Idp.Accounts.SecondFactor;

/// <summary>What a factor's own check said of one submitted code (the guarded path decides everything else).</summary>
public enum CodeVerdict
{
    Accepted,

    /// <summary>Malformed, wrong, or for a device that is not the user's: all count the same.</summary>
    Wrong,

    /// <summary>Right but already used (RFC 6238 §5.2); counts as a wrong attempt.</summary>
    Replayed,
}
