namespace Idp.Accounts;

internal static class Roles
{
    public const string Admin = "admin";

    /// <summary>Roles the CLI and admin pages may assign.</summary>
    public static IReadOnlyList<string> Known { get; } = [Admin];
}
