using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Admin;

/// <summary>Reading the audit trail: newest first, filtered by user and event type, paged by id.</summary>
public sealed class AuditQuery(IdpDbContext db)
{
    public const int MaxPageSize = 200;

    /// <param name="userId">Only events about this user.</param>
    /// <param name="typePrefix">Only events whose type starts with this, e.g. <c>otp.</c> or <c>otp.removed</c>.</param>
    /// <param name="beforeId">Only events older than this id (the next page).</param>
    public async Task<IReadOnlyList<AuditEvent>> NewestAsync(string? userId, string? typePrefix, long? beforeId, int count, CancellationToken cancellationToken)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrEmpty(userId))
        {
            query = query.Where(e => e.SubjectUserId == userId);
        }

        if (!string.IsNullOrWhiteSpace(typePrefix))
        {
            var prefix = typePrefix.Trim();
            query = query.Where(e => e.Type.StartsWith(prefix));
        }

        if (beforeId is { } before)
        {
            query = query.Where(e => e.Id < before);
        }

        return await query.OrderByDescending(e => e.Id).Take(Math.Clamp(count, 1, MaxPageSize)).ToListAsync(cancellationToken);
    }
}
