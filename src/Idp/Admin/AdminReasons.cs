namespace Idp.Admin;

/// <summary>The reason an administrator gives for an action: one line, kept in the audit trail.</summary>
internal static class AdminReasons
{
    public const int MaxLength = 500;

    /// <summary>Null when acceptable; else the refusal, before anything changes.</summary>
    public static AdminOutcome? Check(string? reason, bool required)
    {
        var trimmed = reason?.Trim() ?? string.Empty;
        if (required && trimmed.Length == 0)
        {
            return AdminOutcome.Invalid("Give a reason; it is kept in the audit trail.");
        }

        if (trimmed.Length > MaxLength || trimmed.Any(char.IsControl))
        {
            return AdminOutcome.Invalid($"The reason must be one line of at most {MaxLength} characters.");
        }

        return null;
    }

    /// <summary>"; reason: …" for an audit event's details, or nothing.</summary>
    public static string Suffix(string? reason) => string.IsNullOrWhiteSpace(reason) ? string.Empty : $"; reason: {reason.Trim()}";
}
