namespace Idp.Accounts.SecondFactor;

/// <summary>The result of one attempt through <see cref="SecondFactorAttempts"/>.</summary>
public enum CodeCheckOutcome
{
    Accepted,
    Wrong,
    Replayed,

    /// <summary>The second factor is locked (or this attempt locked it): nothing is checked until the lock ends.</summary>
    Locked,

    /// <summary>This page's Otp:Retries are spent: the sign-in starts over.</summary>
    AttemptsUsedUp,
}
