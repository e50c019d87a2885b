namespace Idp.Accounts.SecondFactor;

/// <param name="Detail">What the factor said of the accepted device (for the audit trail; never a secret).</param>
public sealed record CodeCheck(CodeCheckOutcome Outcome, DateTime? LockedUntil = null, string? Detail = null)
{
    public bool Accepted => Outcome == CodeCheckOutcome.Accepted;
}
