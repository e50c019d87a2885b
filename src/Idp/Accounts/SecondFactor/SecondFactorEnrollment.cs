using Idp.Hosting;
using Idp.Oidc.Audit;
using Idp.Oidc.Authorize;
using Idp.Otp.Abstractions;
using Idp.Otp.Algorithms;
using Idp.Otp.Codecs;
using Idp.Otp.Devices;
using Idp.Otp.Enrollment;
using Idp.Otp.Options;
using Idp.Otp.Qr;
using Idp.Otp.Secrets;
using Idp.Otp.Uris;
using Idp.Otp.Verification;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// Enrollment by QR code (Gluu's flow), only for the purposes that lead to it: a first device where the password
/// alone may enroll, another device or a new key after a fresh code. The seed is made and kept on the server; the
/// device is saved only when its first code is right (checked through <see cref="SecondFactorAttempts"/>).
/// </summary>
public sealed class SecondFactorEnrollment(
    PendingSignInStore pendingSignIns,
    SecondFactorSignIn signIn,
    SecondFactorAttempts attempts,
    OtpVerificationService verification,
    SecondFactorPolicy policy,
    UserSessionsEnder sessions,
    IOtpDeviceStore devices,
    SecretProtector protector,
    UserManager<IdpUser> users,
    AuditLog audit,
    IOptionsMonitor<OtpOptions> otp,
    IOptions<IdpOptions> idp,
    TimeProvider time)
{
    /// <summary>The pending sign-ins the enrollment page serves; any other is refused before anything is shown or saved.</summary>
    public static bool Serves(PendingSignIn pending, HttpContext context)
        => pending.Purpose switch
        {
            PendingSignInPurpose.ForcedEnrollment => true,
            // Started from a session after a fresh code: only that session, still alive, may finish it.
            PendingSignInPurpose.AddDevice or PendingSignInPurpose.ChangeKey
                => SessionInfo.From(context.User) is { } session && session.SessionId == pending.SessionId && session.UserId == pending.UserId,
            _ => false,
        };

    /// <summary>The seed offered to this pending sign-in (made once, kept server-side), as the page shows it.</summary>
    public async Task<EnrollmentOffer> OfferAsync(PendingSignIn pending, CancellationToken cancellationToken)
    {
        var settings = otp.CurrentValue;
        var stored = pending.EnrollmentSecret ?? await pendingSignIns.EnsureEnrollmentSecretAsync(pending, protector.Protect(OtpSecretGenerator.NewSeed(settings.EffectiveSeedLength), SecretPurposes.OtpSeed), cancellationToken);
        var user = await users.FindByIdAsync(pending.UserId);
        return OfferFor(user?.UserName ?? string.Empty, Seed(stored), settings.ParsedAlgorithm, settings.Digits, settings.Interval);
    }

    /// <summary>The QR code, the key in groups of four and the otpauth link of a TOTP key (new, or shown again: Otp:DisplayExistingSecret).</summary>
    public EnrollmentOffer OfferFor(string userName, byte[] seed, OtpHashAlgorithm algorithm, int digits, int period)
    {
        var uri = OtpAuthUri.Build(OtpDeviceType.Totp, Issuer(), userName, seed, algorithm, digits, period);
        var key = Base32.Encode(seed);
        var groups = string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - (i * 4)))));
        // Authenticator apps agree only on SHA1/6 digits/30 s; others are ignored by some (Google Authenticator among them).
        var nonDefault = algorithm != OtpHashAlgorithm.Sha1 || digits != 6 || period != 30;
        return new EnrollmentOffer(QrCodeRenderer.Svg(uri, otp.CurrentValue.QrSize), groups, uri, nonDefault);
    }

    /// <summary>Saves the device only when the first code from it is right, then finishes what the pending sign-in was for.</summary>
    public async Task<SecondFactorOutcome> EnrollAsync(HttpContext context, PendingSignIn pending, string? name, string? code, CancellationToken cancellationToken)
    {
        var settings = otp.CurrentValue;
        if (!Serves(pending, context))
        {
            return SecondFactorOutcome.Restart("This page is only for setting up a device. Sign in again.");
        }

        if (pending.EnrollmentSecret is null)
        {
            return SecondFactorOutcome.Retry("Scan the QR code first.");
        }

        var now = time.GetUtcNow();
        var device = new OtpDevice
        {
            Id = OtpSecretGenerator.NewDeviceId(),
            Type = OtpDeviceType.Totp,
            Name = (name ?? string.Empty).Trim(),
            Epoch = now.ToUnixTimeSeconds(),
            Secret = pending.EnrollmentSecret,
            Algorithm = settings.ParsedAlgorithm,
            Digits = settings.Digits,
            Period = settings.Interval,
        };

        // What can be refused without the code is refused first: no attempt is spent on it.
        var owned = (await devices.LoadAsync(pending.UserId, cancellationToken)).Document.Devices;
        if (pending.Purpose != PendingSignInPurpose.ChangeKey && AddProblem(device, owned) is { } problem)
        {
            return SecondFactorOutcome.Retry(problem);
        }

        var match = OtpMatch.None;
        var check = await attempts.CheckAsync(pending.UserId, pending, "enrollment", ct =>
        {
            var seed = Seed(pending.EnrollmentSecret);
            match = OtpCodeInput.TryParse(code, settings.Digits, out var value) ? OtpVerifier.Check(device, seed, value, now, settings.Range, settings.HotpLookAhead) : OtpMatch.None;
            return Task.FromResult((match.Kind == OtpMatchKind.Accepted ? CodeVerdict.Accepted : CodeVerdict.Wrong, (string?)$"new device {device.Id}"));
        }, cancellationToken);
        if (check.Outcome is CodeCheckOutcome.Locked or CodeCheckOutcome.AttemptsUsedUp)
        {
            return await signIn.RefusedAsync(context, pending, check, cancellationToken);
        }

        if (!check.Accepted)
        {
            return SecondFactorOutcome.Retry("That code does not match the new key. Check that your app shows the code for this account, then try the current code.");
        }

        // The code just used is consumed (RFC 6238 §5.2): it cannot also sign in later.
        var confirmed = OtpVerifier.Consume(device, match.Step, now);
        return pending.Purpose == PendingSignInPurpose.ChangeKey
            ? await ChangeKeyAsync(context, pending, confirmed, cancellationToken)
            : await AddAsync(context, pending, confirmed, cancellationToken);
    }

    private async Task<SecondFactorOutcome> AddAsync(HttpContext context, PendingSignIn pending, OtpDevice device, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await devices.LoadAsync(pending.UserId, cancellationToken);
            if (AddProblem(device, stored.Document.Devices) is { } problem)
            {
                return SecondFactorOutcome.Retry(problem);
            }

            // Re-checked on the very document version that is replaced: a forced enrollment is only for a user
            // who has no usable device (another tab, or a device added meanwhile, closes it).
            var now = time.GetUtcNow();
            if (pending.Purpose == PendingSignInPurpose.ForcedEnrollment
                && (stored.Document.Devices.Any(d => verification.IsUsable(d, now)) || (await policy.StandingAsync(pending.UserId, cancellationToken)).Usable > 0))
            {
                await pendingSignIns.CompleteAsync(context, pending, cancellationToken);
                return SecondFactorOutcome.Restart("You already have a device. Sign in with its code.");
            }

            if (await devices.TryReplaceAsync(pending.UserId, stored.Document.Add(device), stored.Version, cancellationToken))
            {
                await audit.WriteAsync(AuditEventTypes.DeviceEnrolled, $"user:{pending.UserId}", pending.UserId, details: $"device {device.Id} \"{device.Name}\"", cancellationToken: cancellationToken);
                if (pending.Purpose == PendingSignInPurpose.ForcedEnrollment)
                {
                    return await signIn.CompleteAsync(context, pending, [Otp.SecondFactor.OtpSecondFactor.OneTimePassword], cancellationToken);
                }

                await pendingSignIns.CompleteAsync(context, pending, cancellationToken);
                return SecondFactorOutcome.Continue(pending.ReturnUrl);
            }
        }

        return SecondFactorOutcome.Retry("Your devices changed meanwhile. Try again.");
    }

    /// <summary>The device keeps its id and name; key, parameters and registration time are the new key's.</summary>
    private async Task<SecondFactorOutcome> ChangeKeyAsync(HttpContext context, PendingSignIn pending, OtpDevice confirmed, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await devices.LoadAsync(pending.UserId, cancellationToken);
            if (stored.Document.Devices.FirstOrDefault(d => d.Id == pending.ReplacesDeviceId) is not { } old)
            {
                await pendingSignIns.CompleteAsync(context, pending, cancellationToken);
                return SecondFactorOutcome.Restart("That device was removed meanwhile; nothing was changed.");
            }

            var rekeyed = confirmed with { Id = old.Id, Name = old.Name, Extra = old.Extra };
            if (await devices.TryReplaceAsync(pending.UserId, stored.Document.Replace(rekeyed), stored.Version, cancellationToken))
            {
                await audit.WriteAsync(AuditEventTypes.DeviceKeyChanged, $"user:{pending.UserId}", pending.UserId, details: $"device {old.Id} \"{old.Name}\" has a new key", cancellationToken: cancellationToken);
                await pendingSignIns.CompleteAsync(context, pending, cancellationToken);
                // Whoever held the old key is out: the user's other sessions end and their refresh tokens die.
                var (ended, revoked) = await sessions.EndAsync(pending.UserId, pending.SessionId, cancellationToken);
                await audit.WriteAsync(AuditEventTypes.SessionsEnded, $"user:{pending.UserId}", pending.UserId, details: $"{ended} other session(s) ended, {revoked} grant(s) revoked: a device was given a new key by its owner", cancellationToken: cancellationToken);
                return SecondFactorOutcome.Continue(pending.ReturnUrl);
            }
        }

        return SecondFactorOutcome.Retry("Your devices changed meanwhile. Try again.");
    }

    private string? AddProblem(OtpDevice device, IReadOnlyList<OtpDevice> owned)
    {
        var settings = otp.CurrentValue;
        return DeviceNameRules.Validate(device.Name, settings.DeviceNameMaxLength, owned)
            ?? (owned.Count >= settings.MaxDevices ? $"You already have {settings.MaxDevices} devices, the most allowed." : null);
    }

    private byte[] Seed(string protectedSeed)
        => protector.TryUnprotect(protectedSeed, SecretPurposes.OtpSeed, out var seed) ? seed : throw new InvalidOperationException("an enrollment seed could not be decrypted");

    private string Issuer() => otp.CurrentValue.Issuer is { Length: > 0 } issuer ? issuer : new Uri(idp.Value.Issuer!).Host;
}
