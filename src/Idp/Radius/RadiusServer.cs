using System.Net;
using System.Net.Sockets;
using Idp.Radius.Codec;
using Microsoft.Extensions.Options;

namespace Idp.Radius;

/// <summary>
/// The UDP listener (RFC 2865 §3), when <c>Idp:Radius:Enabled</c>. Each datagram is handled on its own, at most
/// <see cref="MaxInFlight"/> at once (beyond that it is dropped: the NAS retransmits); nothing a packet holds can
/// stop the loop.
/// </summary>
internal sealed class RadiusServer(IOptions<Hosting.IdpOptions> options, RadiusRequestHandler handler, ILogger<RadiusServer> logger) : BackgroundService
{
    public const int MaxInFlight = 256;

    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);
    private Socket? _socket;

    /// <summary>Binds before the host reports started (ExecuteAsync runs in the background): a port that cannot be had stops start-up.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Radius;
        if (settings.Enabled)
        {
            _socket = Bind(settings);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _socket?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Radius;
        if (_socket is not { } socket)
        {
            return;
        }

        logger.LogInformation("RADIUS server listening on {Address}:{Port} for {Count} clients", settings.Address, settings.Port, settings.Clients.Count);
        while (!stoppingToken.IsCancellationRequested)
        {
            byte[] datagram;
            IPEndPoint remote;
            try
            {
                // §3: a packet is at most 4096 octets; a larger datagram is cut and fails the Length check.
                var buffer = new byte[RadiusPacketReader.MaxLength];
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), stoppingToken);
                datagram = buffer[..received.ReceivedBytes];
                remote = (IPEndPoint)received.RemoteEndPoint;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // An ICMP port-unreachable from an earlier answer surfaces here on some systems; the socket is fine.
                logger.LogDebug(ex, "RADIUS receive failed");
                continue;
            }

            if (!_inFlight.Wait(0))
            {
                continue;
            }

            _ = Task.Run(() => AnswerAsync(socket, datagram, remote, stoppingToken), CancellationToken.None);
        }
    }

    /// <summary>A plain socket, without SO_REUSEADDR: a second listener on the same port fails here instead of sharing its datagrams.</summary>
    private static Socket Bind(RadiusSettings settings)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(settings.Address), settings.Port);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endpoint);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new Hosting.IdpConfigurationException($"Idp:Radius:Address and Idp:Radius:Port ({settings.Address}:{settings.Port}) cannot be listened on: {ex.Message}.");
        }
    }

    private async Task AnswerAsync(Socket socket, byte[] datagram, IPEndPoint remote, CancellationToken stoppingToken)
    {
        try
        {
            if (await handler.AnswerAsync(datagram, remote, stoppingToken) is { } answer)
            {
                await socket.SendToAsync(answer, SocketFlags.None, remote, stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "RADIUS: a request from {Remote} could not be answered", remote);
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
