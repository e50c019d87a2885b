namespace Idp.Tokens;

/// <summary>What an import did; <see cref="Problem"/> set means nothing was imported.</summary>
public sealed record TokenImportResult(int Imported, int Skipped, int Assigned, string? Problem)
{
    public static TokenImportResult Refused(string problem) => new(0, 0, 0, problem);
}
