using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Idp.Persistence.Entities;

namespace Idp.Audit;

/// <summary>
/// Audit rows waiting for <see cref="AuditWriter"/>. Token issuance must not wait for its own audit insert; the
/// writer stores them in batches moments later, and keeps them through a database outage. Bounded
/// (<c>Idp:Audit:BufferSize</c>): when an outage outlasts the buffer, new rows are dropped and counted
/// (<see cref="Dropped"/>, the metric <c>idp.audit.dropped</c>, a warning) rather than holding every request or
/// growing until the node runs out of memory.
/// </summary>
public sealed class AuditQueue
{
    public const string MeterName = Hosting.Telemetry.IdpMeter.Name;

    private static readonly Counter<long> DroppedRows = Hosting.Telemetry.IdpMeter.Meter.CreateCounter<long>("idp.audit.dropped", description: "Audit rows dropped because the buffer was full or the database did not come back before shutdown");

    private readonly Channel<AuditEvent> _channel;
    private long _enqueued;
    private long _written;
    private long _dropped;
    private TaskCompletionSource _flushWanted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The queues alive in this process (one in production; a test process runs many hosts).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AuditQueue, object?> Live = [];

    private static readonly ObservableGauge<long> Length = Hosting.Telemetry.IdpMeter.Meter.CreateObservableGauge(
        "idp.audit.queue_length", () => Live.Sum(q => q.Key.Pending), description: "Audit rows waiting to be written (they wait while the database is unreachable)");

    public AuditQueue(Microsoft.Extensions.Options.IOptions<Hosting.IdpOptions> options)
    {
        _channel = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(options.Value.Audit.BufferSize) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        Live.Add(this, null);
    }

    internal ChannelReader<AuditEvent> Reader => _channel.Reader;

    /// <summary>True while <see cref="AuditWriter"/> runs. The command line builds the app without starting it.</summary>
    public bool HasWriter { get; internal set; }

    /// <summary>Rows this node could not keep since it started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Rows waiting to be written.</summary>
    public long Pending => Interlocked.Read(ref _enqueued) - Interlocked.Read(ref _written) - Dropped;

    /// <returns>False when the buffer is full and the row was dropped.</returns>
    public bool Enqueue(AuditEvent auditEvent)
    {
        Interlocked.Increment(ref _enqueued);
        if (_channel.Writer.TryWrite(auditEvent))
        {
            return true;
        }

        Drop(1);
        return false;
    }

    internal void Written(int count) => Interlocked.Add(ref _written, count);

    /// <summary>Completes when somebody waits in <see cref="FlushAsync"/>: the writer then stops gathering a batch.</summary>
    internal Task FlushWanted => Volatile.Read(ref _flushWanted).Task;

    /// <summary>The writer took what was wanted: the next <see cref="FlushWanted"/> waits for the next flush.</summary>
    internal void FlushTaken()
    {
        if (Volatile.Read(ref _flushWanted).Task.IsCompleted)
        {
            Interlocked.Exchange(ref _flushWanted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    internal void Drop(int count)
    {
        Interlocked.Add(ref _dropped, count);
        DroppedRows.Add(count);
    }

    internal void Complete()
    {
        Completing = true;
        _channel.Writer.TryComplete();
    }

    /// <summary>The node is stopping: the writer drains without gathering.</summary>
    internal bool Completing { get; private set; }

    /// <summary>Waits until everything enqueued so far is in the database or dropped (for tests and orderly shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _enqueued);
        while (Interlocked.Read(ref _written) + Dropped < target)
        {
            Volatile.Read(ref _flushWanted).TrySetResult();
            await Task.Delay(5, cancellationToken);
        }
    }
}
