using Idp.Persistence.Entities;

namespace Idp.Audit;

/// <summary>
/// The one sink for audit events: a structured log line now, and a row in AuditEvents written by
/// <see cref="AuditWriter"/> moments later. Callers pass facts, never token, code or secret values.
/// </summary>
public sealed class AuditLog(AuditQueue queue, IServiceScopeFactory scopes, IEnumerable<IAuditSubscriber> subscribers, TimeProvider time, IHttpContextAccessor http, ILogger<AuditLog> logger)
{
    private static readonly EventId Audit = new(2000, "Audit");

    public async Task WriteAsync(string type, string actor, string? userId = null, string? clientId = null, string? details = null, CancellationToken cancellationToken = default)
    {
        var ip = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        logger.LogInformation(Audit, "Audit {Type} actor={Actor} user={UserId} client={ClientId} ip={Ip} {Details}", type, actor, userId, clientId, ip, details);
        var auditEvent = new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Type = type,
            Actor = actor,
            SubjectUserId = userId,
            ClientId = clientId,
            IpAddress = ip,
            Details = details,
        };
        if (queue.HasWriter)
        {
            // The first drop and every thousandth after it are logged: a log line per drop would flood the log too.
            if (!queue.Enqueue(auditEvent) && queue.Dropped % 1000 == 1)
            {
                logger.LogError(Audit, "Audit buffer full (Idp:Audit:BufferSize) or the node is stopping: dropped {Type} for {UserId}; {Dropped} dropped so far", type, userId, queue.Dropped);
            }
        }
        else
        {
            // No writer runs (the command line): write now, so nothing is left in a queue when the process exits.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Persistence.IdpDbContext>();
            db.AuditEvents.Add(auditEvent);
            await db.SaveChangesAsync(cancellationToken);
        }

        foreach (var subscriber in subscribers)
        {
            await subscriber.OnRecordedAsync(auditEvent, cancellationToken);
        }
    }
}
