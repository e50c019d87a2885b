namespace Idp.Backup;

/// <summary>What an archive holds (or a restore put back): rows per table, in restore order.</summary>
internal sealed record BackupSummary(BackupHeader Header, IReadOnlyDictionary<string, long> Rows)
{
    public long TotalRows => Rows.Values.Sum();

    /// <summary>"3 AspNetUsers, 12 AuditEvents, …": the non-empty tables.</summary>
    public string Describe() => string.Join(", ", Rows.Where(r => r.Value > 0).Select(r => $"{r.Value} {r.Key}"));
}
