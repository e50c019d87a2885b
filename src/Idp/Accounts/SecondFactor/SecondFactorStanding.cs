namespace Idp.Accounts.SecondFactor;

/// <summary>Where a user stands with their devices, which decides what the second step may lead to.</summary>
/// <param name="Usable">Devices that sign in now.</param>
/// <param name="ExpiredWithinGrace">Expired devices whose codes still prove possession (Otp:ExpiredGracePeriod).</param>
/// <param name="Registered">All devices, expired, disabled or not.</param>
/// <param name="Disabled">Devices an administrator disabled: they keep the user from enrolling another in their place.</param>
public sealed record SecondFactorStanding(int Usable, int ExpiredWithinGrace, int Registered, int Disabled = 0);
