using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Idp.Accounts.Notices;

/// <summary>
/// Messages waiting for <see cref="MailDelivery"/>: a user's action (registering a device) must not wait for an SMTP
/// server, nor fail because it is down. Where no delivery runs (the command line), messages are sent at once.
/// Coalesced per recipient: while a message to someone waits, later notices to them join it (up to
/// <see cref="MaxNoticesPerMessage"/>), so one user's flood of changes takes one place in the queue and cannot push
/// other people's security notices out.
/// </summary>
public sealed class MailOutbox
{
    /// <summary>Recipients with a message waiting; beyond this, new recipients' notices are refused (and logged).</summary>
    public const int MaxWaitingRecipients = 1_000;

    public const int MaxNoticesPerMessage = 20;

    private readonly Channel<string> _recipients = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxWaitingRecipients) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly Dictionary<string, (MailMessageData Message, int Notices)> _waiting = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public bool HasDelivery { get; internal set; }

    /// <returns>False when the message could not be kept (too many recipients waiting).</returns>
    public bool TryEnqueue(MailMessageData message)
    {
        lock (_gate)
        {
            if (_waiting.TryGetValue(message.To, out var waiting))
            {
                if (waiting.Notices < MaxNoticesPerMessage)
                {
                    _waiting[message.To] = (Join(waiting.Message, message), waiting.Notices + 1);
                }

                return true;
            }

            if (!_recipients.Writer.TryWrite(message.To))
            {
                return false;
            }

            _waiting[message.To] = (message, 1);
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
                message = _waiting.Remove(recipient, out var waiting) ? waiting.Message : null;
            }

            if (message is not null)
            {
                yield return message;
            }
        }
    }

    private static MailMessageData Join(MailMessageData first, MailMessageData next)
        => first with { Subject = first.Subject.EndsWith(" (and more)", StringComparison.Ordinal) ? first.Subject : first.Subject + " (and more)", Body = $"{first.Body}\n\n---\n\n{next.Body}" };
}
