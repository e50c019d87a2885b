using Idp.Otp.Abstractions;
using Idp.SecondFactors;

namespace Idp.Otp.Devices;

/// <summary>
/// A user's OTP devices, read from and written to the core's second-factor document (the <c>_2fDevices</c> array).
/// Within one request (this store is scoped) a document is read from the database once: a sign-in lists the
/// credentials and then verifies against them. That is safe because every write is a compare-and-set on the
/// version read (<see cref="DocumentUpdates"/>): a write from a copy that went stale fails, drops the copy, and the
/// edit runs again on a fresh read.
/// </summary>
internal sealed class OtpDeviceStore(ISecondFactorDocumentStore documents) : IOtpDeviceStore
{
    private readonly Dictionary<string, StoredOtpDevices> _read = new(StringComparer.Ordinal);

    public async Task<StoredOtpDevices> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        if (_read.TryGetValue(userId, out var known))
        {
            return known;
        }

        var stored = await documents.LoadAsync(userId, cancellationToken);
        if (stored.Json is null)
        {
            return _read[userId] = StoredOtpDevices.None;
        }

        if (!OtpDeviceJson.TryRead(stored.Json, out var document, out var errors))
        {
            // Our own writes are always valid; a broken row was edited by hand and must not be silently overwritten.
            throw new InvalidOperationException($"The stored second-factor devices of user {userId} are not valid: {string.Join("; ", errors)}");
        }

        return _read[userId] = new StoredOtpDevices(document, stored.Version);
    }

    public Task<bool> TryReplaceAsync(string userId, OtpDeviceDocument document, long expectedVersion, CancellationToken cancellationToken)
    {
        // Written or refused, the copy held is no longer the stored one.
        _read.Remove(userId);
        return documents.TryReplaceAsync(userId, OtpDeviceJson.Write(document), expectedVersion, cancellationToken);
    }

    public Task<bool> TryConsumeAsync(string userId, OtpDeviceDocument document, long expectedVersion, CancellationToken cancellationToken)
    {
        _read.Remove(userId);
        return documents.TryConsumeAsync(userId, OtpDeviceJson.Write(document), expectedVersion, cancellationToken);
    }
}
