using Idp.Otp.Abstractions;
using Idp.Otp.Devices;

namespace Idp.Otp.Tests;

/// <summary>
/// The compare-and-set loop on its own, over a store that lets another writer in between a read and a write. The
/// database's half (one atomic conditional UPDATE) is tested on SQLite and PostgreSQL in OtpVerificationRaceTests.
/// </summary>
public sealed class DocumentUpdatesTests
{
    [Fact]
    public async Task ALostRaceReadsAgainAndDecidesOnTheNewVersion()
    {
        var store = new RacingStore(losses: 1);
        var seen = new List<long>();

        var update = await store.UpdateAsync(
            "u",
            stored =>
            {
                seen.Add(stored.Version);
                return DocumentEdit<string>.Write(stored.Document.Add(TestDevices.Totp() with { Id = $"d{stored.Version}" }), "added");
            },
            CancellationToken.None);

        Assert.True(update.Written);
        Assert.Equal("added", update.Answer);
        Assert.Equal([1, 2], seen);
        Assert.Equal(["other", "d2"], store.Current.Devices.Select(d => d.Id));
    }

    [Fact]
    public async Task AnEditThatStopsWritesNothing()
    {
        var store = new RacingStore(losses: 0);

        var update = await store.UpdateAsync("u", _ => DocumentEdit<string>.Stop("no such device"), CancellationToken.None);

        Assert.True(update.Stopped);
        Assert.False(update.Written);
        Assert.Equal("no such device", update.Answer);
        Assert.Equal(0, store.Writes);
    }

    [Fact]
    public async Task ContentionOnEveryAttemptIsReportedNotWritten()
    {
        var store = new RacingStore(losses: int.MaxValue);

        var update = await store.UpdateAsync("u", s => DocumentEdit<string>.Write(s.Document, "written"), CancellationToken.None, attempts: 3);

        Assert.True(update.Contended);
        Assert.Null(update.Answer);
        Assert.Equal(3, store.Reads);
    }

    /// <summary>Each of the first <c>losses</c> writes finds that another writer replaced the document after our read.</summary>
    private sealed class RacingStore(int losses) : IOtpDeviceStore
    {
        private long _version = 1;

        public OtpDeviceDocument Current { get; private set; } = OtpDeviceDocument.Empty;

        public int Reads { get; private set; }

        public int Writes { get; private set; }

        public Task<StoredOtpDevices> LoadAsync(string userId, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(new StoredOtpDevices(Current, _version));
        }

        public Task<bool> TryReplaceAsync(string userId, OtpDeviceDocument document, long expectedVersion, CancellationToken cancellationToken)
        {
            if (losses-- > 0)
            {
                Current = Current.Add(TestDevices.Totp() with { Id = "other" });
                _version++;
            }

            if (expectedVersion != _version)
            {
                return Task.FromResult(false);
            }

            Writes++;
            Current = document;
            _version++;
            return Task.FromResult(true);
        }
    }
}
