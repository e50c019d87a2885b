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
public sealed class OtpVerificationService(IOtpDeviceStore store, SecretProtector protector, IOptionsMonitor<OtpOptions> options, TimeProvider time)
{
    // Each retry follows a lost race with another writer; after it the replay rule decides.
    private const int MaxAttempts = 5;

    /// <param name="deviceId">Only this device, when the user picked one; otherwise every usable device.</param>
    public async Task<OtpVerificationResult> VerifyAsync(string userId, string? code, string? deviceId, CancellationToken cancellationToken)
    {
        if (!OtpCodeInput.LooksLikeCode(code))
        {
            return new OtpVerificationResult(OtpVerificationOutcome.Malformed);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await store.LoadAsync(userId, cancellationToken);
            var now = time.GetUtcNow();
            var (match, device) = Match(stored.Document, code, deviceId, now);
            if (device is null || match.Kind != OtpMatchKind.Accepted)
            {
                return new OtpVerificationResult(Outcome(stored.Document, deviceId, now, code, match), device);
            }

            var consumed = OtpVerifier.Consume(device, match.Step, now);
            if (await store.TryReplaceAsync(userId, stored.Document.Replace(consumed), stored.Version, cancellationToken))
            {
                return new OtpVerificationResult(OtpVerificationOutcome.Accepted, consumed);
            }
        }

        // Persistent contention: refuse rather than accept without recording the step.
        return new OtpVerificationResult(OtpVerificationOutcome.Invalid);
    }

    /// <summary>Devices that may sign in now: not expired under <c>Otp:Ttl</c>, and the chosen one when a choice was made.</summary>
    public IReadOnlyList<OtpDevice> UsableDevices(OtpDeviceDocument document, string? deviceId, DateTimeOffset now)
    {
        var ttl = options.CurrentValue.Ttl;
        return [.. document.Devices.Where(d => !d.IsExpired(ttl, now) && (deviceId is null || d.Id == deviceId))];
    }

    internal (OtpMatch Match, OtpDevice? Device) Match(OtpDeviceDocument document, string? code, string? deviceId, DateTimeOffset now)
    {
        var settings = options.CurrentValue;
        var replay = (OtpMatch.None, (OtpDevice?)null);
        foreach (var device in UsableDevices(document, deviceId, now))
        {
            if (!OtpCodeInput.TryParse(code, device.Digits, out var value)
                || !protector.TryUnprotect(device.Secret, SecretPurposes.OtpSeed, out var seed))
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

    private OtpVerificationOutcome Outcome(OtpDeviceDocument document, string? deviceId, DateTimeOffset now, string? code, OtpMatch match)
    {
        var usable = UsableDevices(document, deviceId, now);
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
