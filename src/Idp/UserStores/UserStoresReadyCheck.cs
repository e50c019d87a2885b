using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Idp.UserStores;

/// <summary>
/// <c>/readyz</c>: every directory store answers. A store that does not makes the node Degraded, not Unhealthy: the
/// people of the other stores still sign in on it, and every node shares the same directory, so taking nodes out of
/// a load balancer would not help.
/// </summary>
/// <remarks>/readyz is public: it names stores and their state, never a server or a reason (those are logged).</remarks>
internal sealed class UserStoresReadyCheck(UserStoreCatalog catalog, StoreProbes probes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var down = new List<string>();
        var data = new Dictionary<string, object>();
        foreach (var store in catalog.DirectoryStores)
        {
            if (await probes.AnswersAsync(store))
            {
                data[store.Name] = "reachable";
            }
            else
            {
                down.Add(store.Name);
                data[store.Name] = "unavailable";
            }
        }

        return down.Count == 0
            ? HealthCheckResult.Healthy(data.Count == 0 ? "built-in store only" : "every directory store answers", data)
            : HealthCheckResult.Degraded($"unavailable: {string.Join(", ", down)}", data: data);
    }
}
