using System.Data.Common;
using Npgsql;

namespace Idp.Persistence;

/// <summary>
/// Npgsql settings Idp changes from Npgsql's defaults, each only when the operator's connection string does not name
/// it. Every request runs a few short statements, so what each costs around its round trip counts (#13).
/// <para><c>No Reset On Close</c>: a connection going back to the pool skips <c>DISCARD ALL</c> before its next use.
/// Idp keeps no session state on a connection: no <c>SET</c> outside a transaction, no temporary tables, no
/// <c>LISTEN</c>, and the migration lock is released in a <c>finally</c>; an open transaction is still rolled back
/// when a connection closes.</para>
/// <para><c>Max Auto Prepare</c> stays at Npgsql's 0. Npgsql's auto-preparation has a long record of going out of
/// step with the server after a statement the server refuses (npgsql/npgsql#2178, #3002, #4082, #6432). With it on,
/// an audit batch with one refused row was once seen to write another row twice; that has not been reproduced since
/// (<c>AuditOutageTests</c> passed with it on, on Npgsql 10.0.0 and 10.0.3), but the check stays within target
/// without it (#13), so it is not worth the doubt.</para>
/// </summary>
internal static class PostgresConnectionDefaults
{
    public static string Apply(string connectionString)
    {
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>().Select(Normal).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!named.Contains(Normal("No Reset On Close")))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    // Npgsql reads "No Reset On Close" and "NoResetOnClose" alike, in any case: an operator's own value always wins.
    private static string Normal(string keyword) => keyword.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
}
