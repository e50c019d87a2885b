using Idp.Otp.Abstractions;

namespace Idp.Otp.Devices;

/// <summary>
/// The one compare-and-set loop over a user's device document: read it with its version, let the edit decide on
/// exactly that version, write only if nobody wrote meanwhile, and otherwise read again. Every rule the edit checks
/// (a code not yet used, a name not yet taken, a last device kept) therefore holds for what is written.
/// </summary>
public static class DocumentUpdates
{
    public const int DefaultAttempts = 5;

    public static async Task<DocumentUpdate<T>> UpdateAsync<T>(this IOtpDeviceStore store, string userId, Func<StoredOtpDevices, ValueTask<DocumentEdit<T>>> edit, CancellationToken cancellationToken, int attempts = DefaultAttempts)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var stored = await store.LoadAsync(userId, cancellationToken);
            var decided = await edit(stored);
            if (decided.Replacement is null)
            {
                return new DocumentUpdate<T>(false, true, decided.Answer);
            }

            var written = decided.ConsumesCode
                ? await store.TryConsumeAsync(userId, decided.Replacement, stored.Version, cancellationToken)
                : await store.TryReplaceAsync(userId, decided.Replacement, stored.Version, cancellationToken);
            if (written)
            {
                return new DocumentUpdate<T>(true, false, decided.Answer);
            }
        }

        return new DocumentUpdate<T>(false, false, default);
    }

    /// <summary>The same, for edits that decide without awaiting anything.</summary>
    public static Task<DocumentUpdate<T>> UpdateAsync<T>(this IOtpDeviceStore store, string userId, Func<StoredOtpDevices, DocumentEdit<T>> edit, CancellationToken cancellationToken, int attempts = DefaultAttempts)
        => store.UpdateAsync(userId, stored => ValueTask.FromResult(edit(stored)), cancellationToken, attempts);
}
