using Idp.Otp.Abstractions;
using Idp.SecondFactors;

namespace Idp.Otp.Devices;

/// <summary>
/// A user's OTP devices, read from and written to the core's second-factor document (the <c>_2fDevices</c> array).
/// Which copy of the document a request works on is the core store's decision (it keeps what the request read and
/// reads again when the copy may be stale, after a right password for one); this store only keeps the parse of the
/// copy it was last handed, so a sign-in that lists the credentials and then verifies against them parses once.
/// Every write is a compare-and-set on the version read (<see cref="DocumentUpdates"/>): a write from a copy that
/// went stale fails, and the edit runs again on a fresh read.
/// </summary>
internal sealed class OtpDeviceStore(ISecondFactorDocumentStore documents) : IOtpDeviceStore
{
    private readonly Dictionary<string, (StoredDocument Source, StoredOtpDevices Devices)> _parsed = new(StringComparer.Ordinal);

    public async Task<StoredOtpDevices> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        var stored = await documents.LoadAsync(userId, cancellationToken);
        if (_parsed.TryGetValue(userId, out var known) && known.Source == stored)
        {
            return known.Devices;
        }

        if (stored.Json is null)
        {
            return Keep(userId, stored, StoredOtpDevices.None);
        }

        if (!OtpDeviceJson.TryRead(stored.Json, out var document, out var errors))
        {
            // Our own writes are always valid; a broken row was edited by hand and must not be silently overwritten.
            throw new InvalidOperationException($"The stored second-factor devices of user {userId} are not valid: {string.Join("; ", errors)}");
        }

        return Keep(userId, stored, new StoredOtpDevices(document, stored.Version));
    }

    public Task<bool> TryReplaceAsync(string userId, OtpDeviceDocument document, long expectedVersion, CancellationToken cancellationToken)
    {
        // Written or refused, the copy held is no longer the stored one.
        _parsed.Remove(userId);
        return documents.TryReplaceAsync(userId, OtpDeviceJson.Write(document), expectedVersion, cancellationToken);
    }

    public Task<bool> TryConsumeAsync(string userId, OtpDeviceDocument document, long expectedVersion, CancellationToken cancellationToken)
    {
        _parsed.Remove(userId);
        return documents.TryConsumeAsync(userId, OtpDeviceJson.Write(document), expectedVersion, cancellationToken);
    }

    private StoredOtpDevices Keep(string userId, StoredDocument source, StoredOtpDevices devices)
    {
        _parsed[userId] = (source, devices);
        return devices;
    }
}
