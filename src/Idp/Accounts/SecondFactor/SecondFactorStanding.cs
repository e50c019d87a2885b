namespace Idp.Accounts.SecondFactor;

/// <summary>Where a user stands with their devices, which decides what the second step may lead to.</summary>
/// <param name="Usable">Devices that sign in now.</param>
/// <param name="ExpiredWithinGrace">Expired devices whose codes still prove possession (Otp:ExpiredGracePeriod).</param>
/// <param name="Registered">All devices, expired or not.</param>
public sealed record SecondFactorStanding(int Usable, int ExpiredWithinGrace, int Registered);
