namespace Idp.Persistence.Entities;

/// <summary>One audit record: who did what to whom, from where, without secrets, codes or tokens.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public required string Type { get; set; }

    /// <summary>user:ID, admin:ID, client:ID, cli, or system.</summary>
    public required string Actor { get; set; }

    public string? SubjectUserId { get; set; }

    public string? ClientId { get; set; }

    public string? IpAddress { get; set; }

    public string? Details { get; set; }
}
