using Idp.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Idp.Tests.Operations;

/// <summary>Which failures are "the database is out of reach" (503, retry) and which stay faults (500).</summary>
public sealed class DatabaseOutageTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", new NpgsqlException("broken", new System.Net.Sockets.SocketException())), true },
        { new NpgsqlException("Exception while reading from stream", new IOException("reset")), true },
        { new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { new SqliteException("database is locked", 5), true },
        { new TimeoutException(), true },
        { new PostgresException("duplicate key value", "ERROR", "ERROR", "23505"), false },
        { new SqliteException("constraint failed", 19), false },
        { new InvalidOperationException("a bug"), false },
        { new FormatException(), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void OnlyAnUnreachableDatabaseIsAnOutage(Exception failure, bool outage) => Assert.Equal(outage, DatabaseOutage.Caused(failure));

    /// <summary>RFC 9110 §10.2.3 delay-seconds, spread so the clients an outage turned away do not all come back at once.</summary>
    [Fact]
    public void RetryAfter_IsSpreadOverThreeToEightSeconds()
    {
        var answers = Enumerable.Range(0, 200).Select(_ =>
        {
            var response = new Microsoft.AspNetCore.Http.DefaultHttpContext().Response;
            DatabaseOutage.AskToRetry(response);
            return int.Parse(response.Headers.RetryAfter.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
        }).ToList();

        Assert.All(answers, seconds => Assert.InRange(seconds, 3, 8));
        Assert.True(answers.Distinct().Count() >= 4, $"Retry-After took only {string.Join(", ", answers.Distinct())}");
    }
}
