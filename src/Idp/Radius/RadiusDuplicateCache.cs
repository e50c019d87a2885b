using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Idp.Radius;

/// <summary>
/// RFC 5080 §2.2.2: a retransmitted request (same client, source port, Identifier and Request Authenticator) gets the
/// answer already sent, and is never verified twice; one still being worked on is dropped (the first answer will
/// come). Kept for <c>Idp:Radius:DuplicateWindow</c>. Per node: a UDP load balancer keeps a client's port on one node.
/// </summary>
internal sealed class RadiusDuplicateCache(IOptions<Hosting.IdpOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _inserts;

    /// <summary>True when this request is new and now claimed; otherwise <paramref name="answer"/> is the earlier answer (null while in progress).</summary>
    public bool TryClaim(string key, out byte[]? answer)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var existing) && now - existing.At < options.Value.Radius.DuplicateWindow)
        {
            answer = existing.Answer;
            return false;
        }

        answer = null;
        var claimed = new Entry(now, null);
        if (existing is null ? !_entries.TryAdd(key, claimed) : !_entries.TryUpdate(key, claimed, existing))
        {
            return false;
        }

        if (Interlocked.Increment(ref _inserts) % 1024 == 0)
        {
            Purge(now);
        }

        return true;
    }

    public void Answered(string key, byte[] answer) => _entries[key] = new Entry(time.GetUtcNow(), answer);

    public void Forget(string key) => _entries.TryRemove(key, out _);

    private void Purge(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.At >= options.Value.Radius.DuplicateWindow)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed record Entry(DateTimeOffset At, byte[]? Answer);
}
