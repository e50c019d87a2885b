using Idp.Persistence.Entities;

namespace Idp.Audit;

/// <summary>Something that acts on audit events as they are recorded (the device-change e-mail notices).</summary>
public interface IAuditSubscriber
{
    /// <summary>Called after the event is queued or written; must not throw, and must not hold up the caller for long.</summary>
    Task OnRecordedAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
}
