namespace Idp.Accounts.SecondFactor;

/// <summary>What a code or enrollment page must do next: go on (<see cref="Redirect"/>), show <see cref="Error"/>, or start the sign-in over.</summary>
public sealed record SecondFactorOutcome(string? Redirect, string? Error, bool BackToLogin = false)
{
    public static SecondFactorOutcome Continue(string redirect) => new(redirect, null);

    public static SecondFactorOutcome Retry(string error) => new(null, error);

    public static SecondFactorOutcome Restart(string error) => new(null, error, BackToLogin: true);
}
