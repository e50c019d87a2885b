using System.Threading.Channels;

namespace Idp.Accounts.Notices;

/// <summary>
/// Messages waiting for <see cref="MailDelivery"/>: a user's action (registering a device) must not wait for an SMTP
/// server, nor fail because it is down. Where no delivery runs (the command line), messages are sent at once.
/// </summary>
public sealed class MailOutbox
{
    private readonly Channel<MailMessageData> _channel = Channel.CreateBounded<MailMessageData>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    internal ChannelReader<MailMessageData> Reader => _channel.Reader;

    public bool HasDelivery { get; internal set; }

    public bool TryEnqueue(MailMessageData message) => _channel.Writer.TryWrite(message);
}
