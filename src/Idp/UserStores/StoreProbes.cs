using System.Collections.Concurrent;

namespace Idp.UserStores;

/// <summary>
/// Whether each directory store answers, asked at most every few seconds however often /readyz is polled: the
/// endpoint is public, and each probe opens a connection and binds. Concurrent callers share one probe.
/// </summary>
internal sealed class StoreProbes(ILogger<StoreProbes> logger, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, Lazy<Task<bool>> Answer)> _last = new(StringComparer.OrdinalIgnoreCase);

    public Task<bool> AnswersAsync(IDirectoryStore store)
    {
        var now = time.GetUtcNow();
        var entry = _last.AddOrUpdate(
            store.Name,
            _ => (now, new Lazy<Task<bool>>(() => ProbeAsync(store))),
            (_, old) => now - old.At < Lifetime ? old : (now, new Lazy<Task<bool>>(() => ProbeAsync(store))));
        return entry.Answer.Value;
    }

    private async Task<bool> ProbeAsync(IDirectoryStore store)
    {
        try
        {
            await store.ProbeAsync(CancellationToken.None);
            return true;
        }
        catch (DirectoryUnavailableException e)
        {
            logger.LogError(Hosting.EventIds.DirectoryUnavailable, e, "User store {Store} is unavailable", e.StoreName);
            return false;
        }
    }
}
