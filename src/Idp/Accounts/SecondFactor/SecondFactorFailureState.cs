namespace Idp.Accounts.SecondFactor;

/// <summary>A user's wrong-code budget as read from the store (see <see cref="SecondFactorFailureBudget"/>).</summary>
/// <param name="Locks">How many times it locked; each lock lasts twice the previous one.</param>
public sealed record SecondFactorFailureState(int Failures, DateTime WindowStartedAt, DateTime? LockedUntil, int Locks);
