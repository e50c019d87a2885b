using Microsoft.Data.Sqlite;
using Npgsql;

namespace Idp.Hosting;

/// <summary>
/// Whether a failure is the database being out of reach for now (stopped, restarting, failing over, too busy) rather
/// than a fault in the request: such a request is answered 503 with Retry-After (RFC 9110 §15.6.4), which clients and
/// load balancers retry, instead of 500.
/// </summary>
internal static class DatabaseOutage
{
    /// <summary>
    /// Retry-After is spread over these seconds: one fixed value would bring every client that met the outage back in
    /// the same second, a thundering herd on a database that has just come back.
    /// </summary>
    public const int MinRetryAfterSeconds = 3;

    public const int MaxRetryAfterSeconds = 8;

    public static bool Caused(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Class 57P: operator intervention (admin_shutdown, crash_shutdown, cannot_connect_now), as in a restart.
                case PostgresException postgres when postgres.SqlState.StartsWith("57P", StringComparison.Ordinal):
                case NpgsqlException { IsTransient: true }:
                case System.Net.Sockets.SocketException:
                case TimeoutException:
                // SQLITE_BUSY, SQLITE_LOCKED: another writer held the file past the busy timeout.
                case SqliteException { SqliteErrorCode: 5 or 6 }:
                    return true;
            }
        }

        return false;
    }

    public static void AskToRetry(HttpResponse response)
        => response.Headers.RetryAfter = Random.Shared.Next(MinRetryAfterSeconds, MaxRetryAfterSeconds + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
