using System.Net;
using System.Net.Sockets;
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Radius;
        if (!settings.Enabled)
        {
            return;
        }

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Parse(settings.Address), settings.Port));
        logger.LogInformation("RADIUS server listening on {Address}:{Port} for {Count} clients", settings.Address, settings.Port, settings.Clients.Count);
        while (!stoppingToken.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await udp.ReceiveAsync(stoppingToken);
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

            _ = Task.Run(() => AnswerAsync(udp, received, stoppingToken), CancellationToken.None);
        }
    }

    private async Task AnswerAsync(UdpClient udp, UdpReceiveResult received, CancellationToken stoppingToken)
    {
        try
        {
            if (await handler.AnswerAsync(received.Buffer, received.RemoteEndPoint, stoppingToken) is { } answer)
            {
                await udp.SendAsync(answer, received.RemoteEndPoint, stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "RADIUS: a request from {Remote} could not be answered", received.RemoteEndPoint);
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
