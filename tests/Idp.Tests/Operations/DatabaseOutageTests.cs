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
}
