using Idp.Otp.Abstractions;
using Idp.SecondFactors;

namespace Idp.Otp.Devices;

/// <summary>A user's OTP devices, read from and written to the core's second-factor document (the <c>_2fDevices</c> array).</summary>
internal sealed class OtpDeviceStore(ISecondFactorDocumentStore documents) : IOtpDeviceStore
{
    public async Task<StoredOtpDevices> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        var stored = await documents.LoadAsync(userId, cancellationToken);
        if (stored.Json is null)
        {
            return StoredOtpDevices.None;
        }

        if (!OtpDeviceJson.TryRead(stored.Json, out var document, out var errors))
        {
            // Our own writes are always valid; a broken row was edited by hand and must not be silently overwritten.
            throw new InvalidOperationException($"The stored second-factor devices of user {userId} are not valid: {string.Join("; ", errors)}");
        }

        return new StoredOtpDevices(document, stored.Version);
    }

    public Task<bool> TryReplaceAsync(string userId, OtpDeviceDocument document, long expectedVersion, CancellationToken cancellationToken)
        => documents.TryReplaceAsync(userId, OtpDeviceJson.Write(document), expectedVersion, cancellationToken);
}
