using Idp.SecondFactors;
using Idp.Otp.Abstractions;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Microsoft.Extensions.Options;

namespace Idp.Otp.Verification;

/// <summary>
/// Verifies a code against a user's devices and consumes it atomically: the accepted step is written with a
/// compare-and-set on the document version, so a concurrent second submission sees it and is refused as a replay.
/// </summary>
public sealed class OtpVerificationService(IOtpDeviceStore store, ISecretProtector protector, IOptionsMonitor<OtpOptions> options, TimeProvider time)
{
    // Each retry follows a lost race with another writer; after it the replay rule decides.
    /// <param name="deviceId">Only this device, when the user picked one; otherwise every eligible device.</param>
    /// <param name="eligible">Which devices may answer; by default those not past <c>Otp:Ttl</c> (see <see cref="IsUsable"/>).</param>
    public async Task<OtpVerificationResult> VerifyAsync(string userId, string? code, string? deviceId, CancellationToken cancellationToken, Func<OtpDevice, DateTimeOffset, bool>? eligible = null)
    {
        eligible ??= IsUsable;
        if (!OtpCodeInput.LooksLikeCode(code))
        {
            return new OtpVerificationResult(OtpVerificationOutcome.Malformed);
        }

        var update = await store.UpdateAsync(userId, stored =>
        {
            var now = time.GetUtcNow();
            var candidates = Eligible(stored.Document, deviceId, now, eligible);
            var (match, device) = Match(candidates, code, now);
            if (device is null || match.Kind != OtpMatchKind.Accepted)
            {
                return DocumentEdit<OtpVerificationResult>.Stop(new OtpVerificationResult(Outcome(candidates, code, match), device));
            }

            // RFC 6238 §5.2: the accepted step is recorded in the same write that accepts it, so it is accepted once.
            var consumed = OtpVerifier.Consume(device, match.Step, now);
            return DocumentEdit<OtpVerificationResult>.Consume(stored.Document.Replace(consumed), new OtpVerificationResult(OtpVerificationOutcome.Accepted, consumed));
        }, cancellationToken);

        // Persistent contention: refuse rather than accept without recording the step.
        return update.Answer ?? new OtpVerificationResult(OtpVerificationOutcome.Invalid);
    }

    /// <summary>Devices that may sign in now: not expired under <c>Otp:Ttl</c>, and the chosen one when a choice was made.</summary>
    public IReadOnlyList<OtpDevice> UsableDevices(OtpDeviceDocument document, string? deviceId, DateTimeOffset now)
        => Eligible(document, deviceId, now, IsUsable);

    /// <summary>Not past <c>Otp:Ttl</c>: the device signs in.</summary>
    public bool IsUsable(OtpDevice device, DateTimeOffset now) => !device.IsExpired(options.CurrentValue.Ttl, now);

    /// <summary>A disabled device never answers, whatever the caller deems eligible: the one place that rule lives.</summary>
    private static List<OtpDevice> Eligible(OtpDeviceDocument document, string? deviceId, DateTimeOffset now, Func<OtpDevice, DateTimeOffset, bool> eligible)
        => [.. document.Devices.Where(d => !d.Disabled && eligible(d, now) && (deviceId is null || d.Id == deviceId))];

    /// <summary>The check alone, over the usable devices, without consuming (benchmarks measure this part).</summary>
    internal (OtpMatch Match, OtpDevice? Device) Match(OtpDeviceDocument document, string? code, string? deviceId, DateTimeOffset now)
        => Match(UsableDevices(document, deviceId, now), code, now);

    internal (OtpMatch Match, OtpDevice? Device) Match(IReadOnlyList<OtpDevice> candidates, string? code, DateTimeOffset now)
    {
        var settings = options.CurrentValue;
        var replay = (OtpMatch.None, (OtpDevice?)null);
        foreach (var device in candidates)
        {
            if (!OtpCodeInput.TryParse(code, device.Digits, out var value)
                || !protector.TryUnprotect(device.Secret, OtpSecretPurposes.OtpSeed, out var seed))
            {
                continue;
            }

            var match = OtpVerifier.Check(device, seed, value, now, settings.Range, settings.HotpLookAhead);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
            if (match.Kind == OtpMatchKind.Accepted)
            {
                return (match, device);
            }

            if (match.Kind == OtpMatchKind.Replay)
            {
                replay = (match, device);
            }
        }

        return replay;
    }

    private static OtpVerificationOutcome Outcome(IReadOnlyList<OtpDevice> usable, string? code, OtpMatch match)
    {
        if (usable.Count == 0)
        {
            return OtpVerificationOutcome.NoDevice;
        }

        if (match.Kind == OtpMatchKind.Replay)
        {
            return OtpVerificationOutcome.Replayed;
        }

        return usable.Any(d => OtpCodeInput.TryParse(code, d.Digits, out _)) ? OtpVerificationOutcome.Invalid : OtpVerificationOutcome.Malformed;
    }
}
