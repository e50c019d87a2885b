using Idp.Otp.Abstractions;
using Idp.Otp.Algorithms;
using Idp.Otp.Codecs;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Otp.Qr;
using Idp.Otp.Secrets;
using Idp.Otp.SecondFactor;
using Idp.Otp.Uris;
using Idp.Otp.Verification;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Idp.Otp.Enrollment;

/// <summary>
/// TOTP enrollment by QR code (Gluu's flow), on the core's <see cref="IEnrollmentFlow"/>: the seed is made and kept on
/// the server (encrypted, with the pending enrollment); the device is saved only when its first code is right,
/// checked through the core's guarded path; a new key replaces an existing device's key in place.
/// </summary>
public sealed class OtpEnrollment(IEnrollmentFlow flow, IOtpDeviceStore devices, TimeProvider time, ISecretProtector protector, IOptionsMonitor<OtpOptions> otp)
{
    /// <summary>The seed offered to this pending enrollment (made once, kept server-side), as the page shows it.</summary>
    public async Task<EnrollmentOffer> OfferAsync(PendingEnrollment pending, CancellationToken cancellationToken)
    {
        var settings = otp.CurrentValue;
        var stored = pending.State ?? await flow.KeepStateAsync(pending, protector.Protect(OtpSecretGenerator.NewSeed(settings.EffectiveSeedLength), OtpSecretPurposes.OtpSeed), cancellationToken);
        return OfferFor(pending.UserName, Seed(stored), settings.ParsedAlgorithm, settings.Digits, settings.Interval);
    }

    /// <summary>The QR code, the key in groups of four and the otpauth link of a TOTP key (new, or shown again: Otp:DisplayExistingSecret).</summary>
    public EnrollmentOffer OfferFor(string userName, byte[] seed, OtpHashAlgorithm algorithm, int digits, int period)
    {
        var uri = OtpAuthUri.Build(OtpDeviceType.Totp, otp.CurrentValue.Issuer ?? string.Empty, userName, seed, algorithm, digits, period);
        var key = Base32.Encode(seed);
        var groups = string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - (i * 4)))));
        // Authenticator apps agree only on SHA1/6 digits/30 s; others are ignored by some (Google Authenticator among them).
        var nonDefault = algorithm != OtpHashAlgorithm.Sha1 || digits != 6 || period != 30;
        return new EnrollmentOffer(QrCodeRenderer.Svg(uri, otp.CurrentValue.QrSize), groups, uri, nonDefault);
    }

    /// <summary>Saves the device only when the first code from it is right, then the core finishes what the enrollment was for.</summary>
    public async Task<EnrollmentStep> EnrollAsync(HttpContext context, PendingEnrollment pending, string? name, string? code, CancellationToken cancellationToken)
    {
        var settings = otp.CurrentValue;
        if (pending.State is null)
        {
            return EnrollmentStep.Retry("Scan the QR code first.");
        }

        var now = time.GetUtcNow();
        var device = new OtpDevice
        {
            Id = OtpSecretGenerator.NewDeviceId(),
            Type = OtpDeviceType.Totp,
            Name = (name ?? string.Empty).Trim(),
            Epoch = now.ToUnixTimeSeconds(),
            Secret = pending.State,
            Algorithm = settings.ParsedAlgorithm,
            Digits = settings.Digits,
            Period = settings.Interval,
        };

        // What can be refused without the code is refused first: no attempt is spent on it.
        if (pending.Purpose != EnrollmentPurpose.NewKey && AddProblem(device, (await devices.LoadAsync(pending.UserId, cancellationToken)).Document.Devices) is { } problem)
        {
            return EnrollmentStep.Retry(problem);
        }

        var match = OtpMatch.None;
        var refused = await flow.CheckAsync(context, pending, "That code does not match the new key. Check that your app shows the code for this account, then try the current code.", ct =>
        {
            var seed = Seed(pending.State);
            match = OtpCodeInput.TryParse(code, settings.Digits, out var value) ? OtpVerifier.Check(device, seed, value, now, settings.Range, settings.HotpLookAhead) : OtpMatch.None;
            return Task.FromResult(match.Kind == OtpMatchKind.Accepted ? SecondFactorVerdict.Accepted : SecondFactorVerdict.Rejected);
        }, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        // The code just used is consumed (RFC 6238 §5.2): it cannot also sign in later.
        var confirmed = OtpVerifier.Consume(device, match.Step, now);
        return pending.Purpose == EnrollmentPurpose.NewKey
            ? await ChangeKeyAsync(context, pending, confirmed, cancellationToken)
            : await AddAsync(context, pending, confirmed, cancellationToken);
    }

    private async Task<EnrollmentStep> AddAsync(HttpContext context, PendingEnrollment pending, OtpDevice device, CancellationToken cancellationToken)
    {
        var update = await devices.UpdateAsync(pending.UserId, async stored =>
        {
            if (AddProblem(device, stored.Document.Devices) is { } problem)
            {
                return DocumentEdit<EnrollmentStep>.Stop(EnrollmentStep.Retry(problem));
            }

            // Re-checked on the very document version that is replaced: a first enrollment is only for a user who
            // has no usable credential (another tab, or a device added meanwhile, closes it).
            if (pending.Purpose == EnrollmentPurpose.FirstCredential
                && (stored.Document.Devices.Any(d => !d.IsExpired(otp.CurrentValue.Ttl, time.GetUtcNow())) || await flow.HasUsableCredentialAsync(pending.UserId, cancellationToken)))
            {
                return DocumentEdit<EnrollmentStep>.Stop(await flow.StartOverAsync(context, pending, "You already have a device. Sign in with its code.", cancellationToken));
            }

            return DocumentEdit<EnrollmentStep>.Write(stored.Document.Add(device));
        }, cancellationToken);
        if (!update.Written)
        {
            return update.Answer ?? EnrollmentStep.Retry("Your devices changed meanwhile. Try again.");
        }

        await flow.AuditAsync(OtpAuditEvents.DeviceEnrolled, pending.UserId, $"device {device.Id} \"{device.Name}\"", cancellationToken);
        return await flow.CompleteAsync(context, pending, [OtpSecondFactor.OneTimePassword], cancellationToken);
    }

    /// <summary>The device keeps its id and name; key, parameters and registration time are the new key's.</summary>
    private async Task<EnrollmentStep> ChangeKeyAsync(HttpContext context, PendingEnrollment pending, OtpDevice confirmed, CancellationToken cancellationToken)
    {
        OtpDevice? replaced = null;
        var update = await devices.UpdateAsync(pending.UserId, stored =>
        {
            replaced = stored.Document.Devices.FirstOrDefault(d => d.Id == pending.ReplacesCredentialId);
            // A hardware token's key is in the token: it is never replaced by an app's (nor its disabled state lost).
            return replaced is null || replaced.Serial is not null
                ? DocumentEdit<bool>.Stop(true)
                : DocumentEdit<bool>.Write(stored.Document.Replace(confirmed with { Id = replaced.Id, Name = replaced.Name, Extra = replaced.Extra }));
        }, cancellationToken);
        if (update.Stopped)
        {
            return await flow.StartOverAsync(context, pending, "That device was removed meanwhile; nothing was changed.", cancellationToken);
        }

        if (update.Contended)
        {
            return EnrollmentStep.Retry("Your devices changed meanwhile. Try again.");
        }

        await flow.AuditAsync(OtpAuditEvents.DeviceKeyChanged, pending.UserId, $"device {replaced!.Id} \"{replaced.Name}\" has a new key", cancellationToken);
        return await flow.CompleteAsync(context, pending, [OtpSecondFactor.OneTimePassword], cancellationToken);
    }

    private string? AddProblem(OtpDevice device, IReadOnlyList<OtpDevice> owned)
    {
        var settings = otp.CurrentValue;
        return DeviceNameRules.Validate(device.Name, settings.DeviceNameMaxLength, owned)
            ?? (owned.Count >= settings.MaxDevices ? $"You already have {settings.MaxDevices} devices, the most allowed." : null);
    }

    private byte[] Seed(string protectedSeed)
        => protector.TryUnprotect(protectedSeed, OtpSecretPurposes.OtpSeed, out var seed) ? seed : throw new InvalidOperationException("an enrollment seed could not be decrypted");
}
