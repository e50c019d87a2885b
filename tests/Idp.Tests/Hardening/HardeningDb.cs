using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Tests.Hardening;

/// <summary>What the hardening tests read back from a host's database.</summary>
internal static class HardeningDb
{
    public static async Task<T> QueryAsync<T>(IServiceProvider services, Func<IdpDbContext, Task<T>> query)
    {
        await services.GetRequiredService<Idp.Audit.AuditQueue>().FlushAsync();
        await using var scope = services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IdpDbContext>());
    }

    public static Task<List<AuditEvent>> AuditAsync(IServiceProvider services, string type) => TestAudit.EventsAsync(services, type);
}
