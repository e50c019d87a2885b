namespace Idp.Admin;

public enum AdminOutcomeKind
{
    Done,
    UserNotFound,
    DeviceNotFound,

    /// <summary>The request itself is wrong (a missing reason, a bad name or secret): nothing was changed.</summary>
    Invalid,

    /// <summary>The state forbids it (the admin's own last device, too many devices, a concurrent change).</summary>
    Conflict,
}

/// <summary>What an administrative action did, as a value every surface (web, CLI, API) turns into its own answer.</summary>
public sealed record AdminOutcome(AdminOutcomeKind Kind, string Message)
{
    public bool Succeeded => Kind == AdminOutcomeKind.Done;

    public static AdminOutcome Done(string message) => new(AdminOutcomeKind.Done, message);

    public static AdminOutcome Invalid(string message) => new(AdminOutcomeKind.Invalid, message);

    public static AdminOutcome Conflict(string message) => new(AdminOutcomeKind.Conflict, message);

    public static AdminOutcome NoSuchDevice(string idOrName) => new(AdminOutcomeKind.DeviceNotFound, $"The user has no device '{idOrName}'.");
}
