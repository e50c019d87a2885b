namespace Idp.Tokens;

/// <summary>What an import did; <see cref="Problem"/> set means nothing was imported.</summary>
/// <param name="Conflict">The problem is the pool's or a user's state (a serial already known), not the file's.</param>
public sealed record TokenImportResult(int Imported, int Skipped, int Assigned, string? Problem, bool Conflict = false)
{
    public static TokenImportResult Refused(string problem) => new(0, 0, 0, problem);

    public static TokenImportResult Conflicting(string problem) => new(0, 0, 0, problem, Conflict: true);
}
