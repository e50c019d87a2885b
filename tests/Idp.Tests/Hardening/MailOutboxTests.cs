using Idp.Accounts.Notices;

namespace Idp.Tests.Hardening;

/// <summary>
/// One user's flood of notices takes one place in the queue: other people's security notices still go out, and the
/// flooded user still learns of the newest change.
/// </summary>
public sealed class MailOutboxTests
{
    [Fact]
    public async Task FloodFromOneUser_CoalescedIntoOneMessage_OthersNoticesKept()
    {
        var outbox = new MailOutbox();
        Assert.True(outbox.TryEnqueue(new MailMessageData("bob@example.com", "Idp: device added", "bob's notice")));
        for (var i = 0; i < 5_000; i++)
        {
            Assert.True(outbox.TryEnqueue(new MailMessageData("mallory@example.com", "Idp: device added", $"notice {i}")));
        }

        Assert.True(outbox.TryEnqueue(new MailMessageData("carol@example.com", "Idp: device removed", "carol's notice")));

        var sent = await ReadAsync(outbox, 3);
        Assert.Equal(["bob@example.com", "mallory@example.com", "carol@example.com"], sent.Select(m => m.To));
        var parts = sent[1].Body.Split("\n\n---\n\n");
        Assert.Equal("Idp: device added (and more)", sent[1].Subject);
        Assert.Equal("notice 0", parts[0]);
        Assert.Equal("(4980 more notices of the same kind were left out here.)", parts[1]);
        // The newest change, the one an intruder makes last, is always in the message.
        Assert.Equal("notice 4999", parts[^1]);
        Assert.Equal(MailOutbox.MaxNoticesPerMessage + 1, parts.Length);
    }

    [Fact]
    public async Task AfterDelivery_TheNextNoticeIsAMessageOfItsOwn()
    {
        var outbox = new MailOutbox();
        outbox.TryEnqueue(new MailMessageData("bob@example.com", "first", "1"));
        var first = await ReadAsync(outbox, 1);
        outbox.TryEnqueue(new MailMessageData("bob@example.com", "second", "2"));

        Assert.Equal("first", first[0].Subject);
        Assert.Equal("second", (await ReadAsync(outbox, 1))[0].Subject);
    }

    private static async Task<List<MailMessageData>> ReadAsync(MailOutbox outbox, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var messages = new List<MailMessageData>();
        await foreach (var message in outbox.ReadAllAsync(timeout.Token))
        {
            messages.Add(message);
            if (messages.Count == count)
            {
                break;
            }
        }

        return messages;
    }
}
