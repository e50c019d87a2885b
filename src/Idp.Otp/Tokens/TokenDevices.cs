using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Microsoft.Extensions.Options;

namespace Idp.Otp.Tokens;

/// <summary>
/// A hardware token as a device in its holder's <c>_2fDevices</c> document: added when the pool assigns it, edited
/// (disabled, resynchronised) and taken out again only through here, each a compare-and-set on the document.
/// </summary>
public sealed class TokenDevices(IOtpDeviceStore store, IOptionsMonitor<OtpOptions> options, TimeProvider time)
{
    /// <summary>Adds the token: the new device's id, or why not.</summary>
    /// <param name="onlyIfNone">
    /// Only to a user whose document holds no device at all, decided on the very version written (assign on first use:
    /// a device enrolled since the caller last looked must not get the pool token added beside it).
    /// </param>
    public async Task<(string? DeviceId, string? Problem)> AttachAsync(string userId, TokenDevice token, CancellationToken cancellationToken, bool onlyIfNone = false)
    {
        var update = await store.UpdateAsync(userId, stored =>
        {
            if (onlyIfNone && stored.Document.Devices.Count > 0)
            {
                return DocumentEdit<(string?, string?)>.Stop((null, "the user has a device of their own by now"));
            }

            if (stored.Document.Devices.Any(d => d.Serial == token.Serial))
            {
                return DocumentEdit<(string?, string?)>.Stop((null, $"the user already holds the token {token.Serial}"));
            }

            if (stored.Document.Devices.Count >= options.CurrentValue.MaxDevices)
            {
                return DocumentEdit<(string?, string?)>.Stop((null, $"the user already has {stored.Document.Devices.Count} devices (Otp:MaxDevices)"));
            }

            var device = token.ToDevice(time.GetUtcNow());
            return DocumentEdit<(string?, string?)>.Write(stored.Document.Add(device), (device.Id, null));
        }, cancellationToken);
        return update.Contended ? (null, "the user's devices kept changing meanwhile") : update.Answer;
    }

    /// <summary>
    /// Takes the token out of the user's document: the device as it last was (counter, last step); null when the
    /// user does not hold it. Contended: the document kept changing and still holds it, so the caller must not act
    /// as if it were out.
    /// </summary>
    public async Task<(OtpDevice? Detached, bool Contended)> DetachAsync(string userId, string serial, CancellationToken cancellationToken)
    {
        var update = await store.UpdateAsync(userId, stored => stored.Document.Devices.FirstOrDefault(d => d.Serial == serial) is { } device
            ? DocumentEdit<OtpDevice>.Write(stored.Document.Remove(device.Id), device)
            : DocumentEdit<OtpDevice>.Stop(null!), cancellationToken);
        return (update.Written ? update.Answer : null, update.Contended);
    }

    /// <summary>
    /// Changes the user's device of this serial: the device as written, or null when the user does not hold it or
    /// <paramref name="change"/> declined (null). Contended: nothing was written because the document kept changing.
    /// </summary>
    public async Task<(OtpDevice? Changed, bool Contended)> EditAsync(string userId, string serial, Func<OtpDevice, OtpDevice?> change, CancellationToken cancellationToken)
    {
        var update = await store.UpdateAsync(userId, stored =>
        {
            if (stored.Document.Devices.FirstOrDefault(d => d.Serial == serial) is not { } device || change(device) is not { } changed)
            {
                return DocumentEdit<OtpDevice>.Stop(null!);
            }

            return DocumentEdit<OtpDevice>.Write(stored.Document.Replace(changed with { Id = device.Id, Serial = serial }), changed);
        }, cancellationToken);
        return (update.Written ? update.Answer : null, update.Contended);
    }

    public async Task<OtpDevice?> FindAsync(string userId, string serial, CancellationToken cancellationToken)
        => (await store.LoadAsync(userId, cancellationToken)).Document.Devices.FirstOrDefault(d => d.Serial == serial);
}
