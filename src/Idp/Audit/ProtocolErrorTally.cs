using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Audit;

/// <summary>
/// Refused protocol requests are audited in aggregate: one row per client, endpoint and error each minute, with a
/// count. Anyone can send junk to /connect/authorize or /connect/token; a row per request would let them fill the
/// audit table (kept a year) and bury what matters. Each request still has its log line. The keys are bounded: an
/// unknown client_id counts under "unknown", and error codes are the engine's own.
/// </summary>
public sealed class ProtocolErrorTally(IOptions<IdpOptions> options, TimeProvider time)
{
    private const string UnknownClient = "unknown";

    private readonly Lock _gate = new();
    private Dictionary<(string Client, string What), int> _counts = [];
    private DateTimeOffset _since = time.GetUtcNow();

    /// <param name="what">The endpoint and the error code, such as "token invalid_grant".</param>
    public void Count(string? clientId, string what)
    {
        var client = clientId is not null && options.Value.Clients.Any(c => c.ClientId == clientId) ? clientId : UnknownClient;
        lock (_gate)
        {
            _counts[(client, what)] = _counts.GetValueOrDefault((client, what)) + 1;
        }
    }

    /// <summary>Writes one audit row per client and error counted since the last flush, and starts counting anew.</summary>
    public async Task FlushAsync(AuditLog audit, CancellationToken cancellationToken)
    {
        Dictionary<(string Client, string What), int> counts;
        DateTimeOffset from, to;
        lock (_gate)
        {
            (counts, _counts) = (_counts, []);
            (from, to) = (_since, time.GetUtcNow());
            _since = to;
        }

        foreach (var entry in counts.OrderBy(c => c.Key.Client, StringComparer.Ordinal).ThenBy(c => c.Key.What, StringComparer.Ordinal))
        {
            var ((client, what), count) = (entry.Key, entry.Value);
            await audit.WriteAsync(
                AuditEventTypes.ProtocolError,
                client == UnknownClient ? "anonymous" : $"client:{client}",
                clientId: client == UnknownClient ? null : client,
                details: $"{what}; count={count} from {from:u} to {to:u}",
                cancellationToken: cancellationToken);
        }
    }
}
