using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Testing;

/// <summary>
/// The audit trail as a test reads it back. The web writes audit rows through a background queue, so each read
/// flushes the queue first: a row the request wrote is then in the table.
/// </summary>
public static class TestAudit
{
    /// <summary>The host's audit rows, oldest first; only those of <paramref name="type"/> when it is given.</summary>
    public static async Task<List<AuditEvent>> EventsAsync(IServiceProvider services, string? type = null)
    {
        await services.GetRequiredService<Idp.Audit.AuditQueue>().FlushAsync();
        await using var scope = services.CreateAsyncScope();
        var events = scope.ServiceProvider.GetRequiredService<IdpDbContext>().AuditEvents.AsNoTracking();
        return await (type is null ? events : events.Where(e => e.Type == type)).OrderBy(e => e.Id).ToListAsync();
    }

    public static async Task<int> CountAsync(IServiceProvider services, string type) => (await EventsAsync(services, type)).Count;
}
