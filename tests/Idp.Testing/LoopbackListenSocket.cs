using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Idp.Testing;

/// <summary>
/// A loopback TCP socket bound to port 0, the kernel's own pick, before the app is built. The app's configuration
/// can then name the port (the issuer is validated at start-up, before Kestrel binds anything), and Kestrel listens
/// on this very socket: no other process can take the port in between.
/// </summary>
public sealed class LoopbackListenSocket : IDisposable
{
    private Socket? _socket;

    private LoopbackListenSocket(Socket socket)
    {
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>The address Kestrel is told to listen on; it is handed the bound socket instead of binding one.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>
    /// Binds and listens at once: .NET sets SO_REUSEADDR on Linux, so a bound socket that is not yet listening leaves
    /// the port open to another process's bind (a PostgreSQL or slapd the suite starts on a port it picked).
    /// </summary>
    public static LoopbackListenSocket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        return new LoopbackListenSocket(socket);
    }

    /// <summary>
    /// Kestrel's socket transport takes this socket for the endpoint <see cref="Url"/> names (listening again only sets
    /// its backlog) and closes it when it stops; any other endpoint is bound as Kestrel would.
    /// </summary>
    public void HandTo(SocketTransportOptions transport) => transport.CreateBoundListenSocket = endpoint =>
        endpoint is IPEndPoint ip && ip.Address.Equals(IPAddress.Loopback) && ip.Port == Port && Interlocked.Exchange(ref _socket, null) is { } socket
            ? socket
            : SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);

    /// <summary>Closes the socket when Kestrel never took it (the app failed before it listened).</summary>
    public void Dispose() => Interlocked.Exchange(ref _socket, null)?.Dispose();
}
