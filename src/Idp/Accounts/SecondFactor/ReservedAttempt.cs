namespace Idp.Accounts.SecondFactor;

/// <summary>
/// What the reservation of one attempt left in the user's failure budget: the count with this attempt in it, and the
/// window it was counted in. Giving the attempt back subtracts that count from the same window only, so attempts
/// reserved by concurrent requests after this one stay counted.
/// </summary>
public sealed record ReservedAttempt(int Failures, DateTime WindowStartedAt);
