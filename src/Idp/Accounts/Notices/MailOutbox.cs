using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Idp.Accounts.Notices;

/// <summary>
/// Messages waiting for <see cref="MailDelivery"/>: a user's action (registering a device) must not wait for an SMTP
/// server, nor fail because it is down. Where no delivery runs (the command line), messages are sent at once.
/// Coalesced per recipient: while a message to someone waits, later notices to them join it, so one user's flood of
/// changes takes one place in the queue and cannot push other people's security notices out. A message holds the
/// first notice and the newest ones (up to <see cref="MaxNoticesPerMessage"/>) and says how many were left out
/// between: the newest change, the one an intruder makes last, always reaches the owner.
/// </summary>
internal sealed class MailOutbox(ILogger<MailOutbox>? logger = null)
{
    /// <summary>Recipients with a message waiting; beyond this, new recipients' notices are refused (and logged).</summary>
    public const int MaxWaitingRecipients = 1_000;

    public const int MaxNoticesPerMessage = 20;

    private const string Separator = "\n\n---\n\n";

    private readonly Channel<string> _recipients = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxWaitingRecipients) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly Dictionary<string, WaitingMessage> _waiting = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public bool HasDelivery { get; internal set; }

    /// <returns>False when the message could not be kept (too many recipients waiting).</returns>
    public bool TryEnqueue(MailMessageData message)
    {
        lock (_gate)
        {
            if (_waiting.TryGetValue(message.To, out var waiting))
            {
                waiting.Add(message.Body);
                if (waiting.LeftOut == 1)
                {
                    logger?.LogWarning("Notices to one recipient are arriving faster than mail goes out; the message keeps the first and the newest {Count}", MaxNoticesPerMessage - 1);
                }

                return true;
            }

            if (!_recipients.Writer.TryWrite(message.To))
            {
                return false;
            }

            _waiting[message.To] = new WaitingMessage(message);
            return true;
        }
    }

    internal async IAsyncEnumerable<MailMessageData> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var recipient in _recipients.Reader.ReadAllAsync(cancellationToken))
        {
            MailMessageData? message;
            lock (_gate)
            {
                message = _waiting.Remove(recipient, out var waiting) ? waiting.ToMessage() : null;
            }

            if (message is not null)
            {
                yield return message;
            }
        }
    }

    /// <summary>The first notice, the newest ones, and the count of those left out between them.</summary>
    private sealed class WaitingMessage(MailMessageData first)
    {
        private readonly Queue<string> _newest = new();

        public int LeftOut { get; private set; }

        public void Add(string body)
        {
            _newest.Enqueue(body);
            if (_newest.Count > MaxNoticesPerMessage - 1)
            {
                _newest.Dequeue();
                LeftOut++;
            }
        }

        public MailMessageData ToMessage()
        {
            if (_newest.Count == 0)
            {
                return first;
            }

            var leftOut = LeftOut > 0 ? [$"({LeftOut} more notices of the same kind were left out here.)"] : Array.Empty<string>();
            return first with
            {
                Subject = first.Subject + " (and more)",
                Body = string.Join(Separator, [first.Body, .. leftOut, .. _newest]),
            };
        }
    }
}
