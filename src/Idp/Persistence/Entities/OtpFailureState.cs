namespace Idp.Persistence.Entities;

/// <summary>A user's wrong-code budget, separate from the password lockout: past Otp:MaxFailures in Otp:FailureWindow the second factor locks.</summary>
public sealed class OtpFailureState
{
    public required string UserId { get; set; }

    public int Failures { get; set; }

    public DateTime WindowStartedAt { get; set; }

    public DateTime? LockedUntil { get; set; }

    /// <summary>How many times it locked; each lock lasts twice the previous one.</summary>
    public int Locks { get; set; }
}
