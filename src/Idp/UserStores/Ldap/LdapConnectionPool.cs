using System.Collections.Concurrent;
using System.DirectoryServices.Protocols;

namespace Idp.UserStores.Ldap;

/// <summary>
/// Idle connections to one LDAP server, reused so that a sign-in does not pay a TCP and TLS handshake per operation.
/// A connection is used by one operation at a time, and every operation starts with a bind (the service account's or
/// the person's), so what a connection was last bound as never carries over. At most <c>size</c> connections wait;
/// one idle for longer than <c>idleTimeout</c> is closed rather than reused (servers and firewalls drop idle ones).
/// </summary>
internal sealed class LdapConnectionPool(Func<LdapConnection> connect, int size, TimeSpan idleTimeout) : IDisposable
{
    // OpenLDAP's client-side code for a connection that is gone ("server down"): a pooled one the server closed.
    private const int ServerDown = 81;

    private readonly ConcurrentQueue<(LdapConnection Connection, long IdleSince)> _idle = new();

    private int _count;

    /// <summary>
    /// Runs the operation on an idle connection, or a new one. When a reused connection turns out to be gone, every
    /// idle one is dropped too (the server restarted or a firewall forgot them all) and the operation runs once on a
    /// new connection. Any exception closes the connection it came from.
    /// </summary>
    public T Use<T>(Func<LdapConnection, T> operation)
    {
        if (TryTake() is { } idle)
        {
            try
            {
                var result = operation(idle);
                Return(idle);
                return result;
            }
            catch (LdapException e) when (e.ErrorCode == ServerDown)
            {
                idle.Dispose();
                Clear();
            }
            catch
            {
                idle.Dispose();
                throw;
            }
        }

        var connection = connect();
        try
        {
            var result = operation(connection);
            Return(connection);
            return result;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => Clear();

    private LdapConnection? TryTake()
    {
        while (_idle.TryDequeue(out var entry))
        {
            Interlocked.Decrement(ref _count);
            if (Environment.TickCount64 - entry.IdleSince <= idleTimeout.TotalMilliseconds)
            {
                return entry.Connection;
            }

            entry.Connection.Dispose();
        }

        return null;
    }

    private void Return(LdapConnection connection)
    {
        if (Interlocked.Increment(ref _count) > size)
        {
            Interlocked.Decrement(ref _count);
            connection.Dispose();
            return;
        }

        _idle.Enqueue((connection, Environment.TickCount64));
    }

    private void Clear()
    {
        while (_idle.TryDequeue(out var entry))
        {
            Interlocked.Decrement(ref _count);
            entry.Connection.Dispose();
        }
    }
}
