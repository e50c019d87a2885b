namespace Idp.Testing;

/// <summary>What the tests' users sign in with.</summary>
public static class TestUsers
{
    /// <summary>Long enough for Idp:Password:MinLength (12).</summary>
    public const string Password = "a long enough password";
}
