namespace Idp.Audit;

/// <summary><c>Idp:Audit</c>.</summary>
public sealed class AuditSettings
{
    /// <summary>Audit rows older than this are deleted by the periodic clean-up.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Rows a node holds while the database is unreachable; beyond it new rows are dropped and counted.</summary>
    public int BufferSize { get; set; } = 100_000;
}
