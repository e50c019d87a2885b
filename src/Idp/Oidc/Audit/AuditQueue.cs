using System.Threading.Channels;
using Idp.Persistence.Entities;

namespace Idp.Oidc.Audit;

/// <summary>
/// Audit rows waiting for <see cref="AuditWriter"/>. Token issuance must not wait for its own audit insert; the
/// writer stores them in batches moments later. Bounded: under a flood, writers wait rather than lose events.
/// </summary>
public sealed class AuditQueue
{
    private readonly Channel<AuditEvent> _channel = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private long _enqueued;
    private long _written;

    internal ChannelReader<AuditEvent> Reader => _channel.Reader;

    /// <summary>True while <see cref="AuditWriter"/> runs. The command line builds the app without starting it.</summary>
    public bool HasWriter { get; internal set; }

    public ValueTask EnqueueAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _enqueued);
        return _channel.Writer.WriteAsync(auditEvent, cancellationToken);
    }

    internal void Written(int count) => Interlocked.Add(ref _written, count);

    internal void Complete() => _channel.Writer.TryComplete();

    /// <summary>Waits until everything enqueued so far is in the database (for tests and orderly shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _enqueued);
        while (Interlocked.Read(ref _written) < target)
        {
            await Task.Delay(5, cancellationToken);
        }
    }
}
