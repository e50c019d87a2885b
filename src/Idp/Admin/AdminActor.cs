namespace Idp.Admin;

/// <summary>Who performs an administrative action, as written in the audit trail's Actor column.</summary>
public sealed record AdminActor(string AuditName, string? UserId)
{
    public static AdminActor Cli { get; } = new("cli", null);

    public static AdminActor Administrator(string userId) => new($"admin:{userId}", userId);

    public static AdminActor ApiClient(string clientId) => new($"client:{clientId}", null);
}
