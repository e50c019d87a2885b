using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Idp.Hosting.Telemetry;

/// <summary>Times every database round trip EF Core makes (<c>idp.db.duration</c>, milliseconds): the figure a slow or failing-over database shows first.</summary>
internal sealed class DatabaseTimingInterceptor : DbCommandInterceptor
{
    private static readonly Histogram<double> Duration = IdpMeter.Meter.CreateHistogram<double>("idp.db.duration", unit: "ms", description: "Database round trips made through EF Core");

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Record(eventData, "reader");
        return ValueTask.FromResult(result);
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Record(eventData, "non_query");
        return ValueTask.FromResult(result);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Record(eventData, "scalar");
        return ValueTask.FromResult(result);
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Duration.Record(eventData.Duration.TotalMilliseconds, new KeyValuePair<string, object?>("kind", "failed"));
        return Task.CompletedTask;
    }

    private void Record(CommandExecutedEventData eventData, string kind)
        => Duration.Record(eventData.Duration.TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind));
}
