namespace Idp.Tokens;

/// <summary>A token as administrators see it: never its secret.</summary>
/// <param name="UserName">Its holder's username, or null while it waits in the pool.</param>
public sealed record TokenView(
    string Serial,
    string Type,
    string Algorithm,
    int Digits,
    int Period,
    string? Manufacturer,
    bool Disabled,
    string? UserId,
    string? UserName,
    DateTimeOffset ImportedAt)
{
    public bool Assigned => UserId is not null;

    /// <summary>"unassigned", "assigned", "disabled" or "assigned, disabled".</summary>
    public string State => (Assigned, Disabled) switch
    {
        (true, true) => "assigned, disabled",
        (true, false) => "assigned",
        (false, true) => "disabled",
        _ => "unassigned",
    };
}
