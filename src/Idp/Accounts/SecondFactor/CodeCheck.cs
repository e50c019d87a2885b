namespace Idp.Accounts.SecondFactor;

/// <param name="LockedUntil">When <see cref="CodeCheckOutcome.Locked"/>: the lock's end, when known.</param>
public sealed record CodeCheck(CodeCheckOutcome Outcome, DateTime? LockedUntil = null)
{
    public bool Accepted => Outcome == CodeCheckOutcome.Accepted;
}
