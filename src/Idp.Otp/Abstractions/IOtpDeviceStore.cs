using Idp.Otp.Devices;

namespace Idp.Otp.Abstractions;

/// <summary>A user's device array and its version, as read together.</summary>
public sealed record StoredOtpDevices(OtpDeviceDocument Document, long Version)
{
    public static StoredOtpDevices None { get; } = new(OtpDeviceDocument.Empty, 0);
}

/// <summary>
/// Where a user's <c>_2fDevices</c> array lives. The host implements it on its database.
/// <see cref="TryReplaceAsync"/> must be one atomic compare-and-set on the version, so that the same code sent to
/// two nodes at once is accepted by exactly one of them (RFC 6238 §5.2).
/// </summary>
public interface IOtpDeviceStore
{
    Task<StoredOtpDevices> LoadAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Writes the document if the stored version is still <paramref name="expectedVersion"/> (0: no row yet). False when another writer came first.</summary>
    Task<bool> TryReplaceAsync(string userId, OtpDeviceDocument document, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>The write that records an accepted code (its step or counter used up): as <see cref="TryReplaceAsync"/>, for the verifier alone.</summary>
    Task<bool> TryConsumeAsync(string userId, OtpDeviceDocument document, long expectedVersion, CancellationToken cancellationToken)
        => TryReplaceAsync(userId, document, expectedVersion, cancellationToken);
}
