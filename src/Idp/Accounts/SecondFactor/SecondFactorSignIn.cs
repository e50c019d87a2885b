using System.Globalization;
using System.Security.Claims;
using Idp.Hosting;
using Idp.Oidc.Audit;
using Idp.Oidc.Protocol;
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
/// The second step of signing in: the code page and forced enrollment. There is no session until the code is right;
/// then the session says pwd, otp and mfa (RFC 8176), which the tokens repeat.
/// </summary>
public sealed class SecondFactorSignIn(
    PendingSignInStore pendingSignIns,
    SecondFactorPolicy policy,
    OtpVerificationService verification,
    OtpFailureBudget budget,
    IOtpDeviceStore devices,
    SecretProtector protector,
    SignInManager<IdpUser> signInManager,
    UserManager<IdpUser> users,
    AuditLog audit,
    IOptionsMonitor<OtpOptions> otp,
    IOptions<IdpOptions> idp,
    TimeProvider time)
{
    public const string CodePath = "/account/2fa";
    public const string EnrollPath = "/account/2fa/enroll";

    /// <summary>Starts the second step for someone whose password was right (or who signed in with a password only and needs more).</summary>
    public async Task<string> BeginAsync(HttpContext context, IdpUser user, string returnUrl, string priorAmr, CancellationToken cancellationToken)
    {
        await pendingSignIns.CreateAsync(context, user.Id, returnUrl, priorAmr, cancellationToken);
        return (await policy.UsableDevicesAsync(user.Id, cancellationToken)).Count == 0 ? EnrollPath : CodePath;
    }

    /// <summary>Self-service registration of another device: the same enrollment page, back to /2fregisters afterwards.</summary>
    public async Task<string> BeginEnrollmentAsync(HttpContext context, IdpUser user, string returnUrl, string priorAmr, CancellationToken cancellationToken)
    {
        await pendingSignIns.CreateAsync(context, user.Id, returnUrl, priorAmr, cancellationToken);
        return EnrollPath;
    }

    /// <summary>
    /// Otp:UserCanChangeKey: the enrollment page offers a new key for an existing device; its first right code
    /// replaces the old key (same device, same name), back to /2fregisters afterwards.
    /// </summary>
    public async Task<string> BeginKeyChangeAsync(HttpContext context, IdpUser user, string deviceId, string priorAmr, CancellationToken cancellationToken)
    {
        await pendingSignIns.CreateAsync(context, user.Id, "/2fregisters", priorAmr, cancellationToken, replacesDeviceId: deviceId);
        return EnrollPath;
    }

    public async Task<SecondFactorOutcome> VerifyAsync(HttpContext context, PendingSignIn pending, string? code, string? deviceId, CancellationToken cancellationToken)
    {
        if (await budget.LockedUntilAsync(pending.UserId, cancellationToken) is { } lockedUntil)
        {
            await pendingSignIns.CompleteAsync(context, pending, cancellationToken);
            return SecondFactorOutcome.Restart(LockedMessage(lockedUntil));
        }

        var result = await verification.VerifyAsync(pending.UserId, code, deviceId, cancellationToken);
        switch (result.Outcome)
        {
            case OtpVerificationOutcome.Accepted:
                await budget.ResetAsync(pending.UserId, cancellationToken);
                await audit.WriteAsync(AuditEventTypes.OtpSucceeded, $"user:{pending.UserId}", pending.UserId, details: $"device {result.Device!.Id}", cancellationToken: cancellationToken);
                return await CompleteAsync(context, pending, cancellationToken);
            case OtpVerificationOutcome.NoDevice:
                return SecondFactorOutcome.Continue(EnrollPath);
        }

        var (type, message) = result.Outcome == OtpVerificationOutcome.Replayed
            ? (AuditEventTypes.OtpReplayed, "That code was already used. Wait for the next code and enter it.")
            : (AuditEventTypes.OtpFailed, $"That code is not right. Enter the {Digits(result)}-digit code your app shows now.");
        await audit.WriteAsync(type, $"user:{pending.UserId}", pending.UserId, details: result.Outcome.ToString(), cancellationToken: cancellationToken);
        return await FailAsync(context, pending, message, cancellationToken);
    }

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

    /// <summary>Saves the device only when the first code from it is right, then finishes the sign-in.</summary>
    public async Task<SecondFactorOutcome> EnrollAsync(HttpContext context, PendingSignIn pending, string? name, string? code, CancellationToken cancellationToken)
    {
        var settings = otp.CurrentValue;
        if (pending.EnrollmentSecret is null)
        {
            return SecondFactorOutcome.Retry("Scan the QR code first.");
        }

        if (!OtpCodeInput.TryParse(code, settings.Digits, out var value))
        {
            return await FailAsync(context, pending, $"Enter the {settings.Digits}-digit code your app shows for the new key.", cancellationToken);
        }

        var now = time.GetUtcNow();
        var seed = Seed(pending.EnrollmentSecret);
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
        var match = OtpVerifier.Check(device, seed, value, now, settings.Range, settings.HotpLookAhead);
        if (match.Kind != OtpMatchKind.Accepted)
        {
            return await FailAsync(context, pending, "That code does not match the new key. Check that your app shows the code for this account, then try the current code.", cancellationToken);
        }

        if (pending.ReplacesDeviceId is { } replaced)
        {
            return await ChangeKeyAsync(context, pending, replaced, device, match.Step, now, cancellationToken);
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await devices.LoadAsync(pending.UserId, cancellationToken);
            if (DeviceNameRules.Validate(device.Name, settings.DeviceNameMaxLength, stored.Document.Devices) is { } nameProblem)
            {
                return SecondFactorOutcome.Retry(nameProblem);
            }

            if (stored.Document.Devices.Count >= settings.MaxDevices)
            {
                return SecondFactorOutcome.Retry($"You already have {settings.MaxDevices} devices, the most allowed.");
            }

            // The code just used is consumed (RFC 6238 §5.2): it cannot also sign in later.
            var consumed = OtpVerifier.Consume(device, match.Step, now);
            if (await devices.TryReplaceAsync(pending.UserId, stored.Document.Add(consumed), stored.Version, cancellationToken))
            {
                await audit.WriteAsync(AuditEventTypes.DeviceEnrolled, $"user:{pending.UserId}", pending.UserId, details: $"device {device.Id} \"{device.Name}\"", cancellationToken: cancellationToken);
                return await CompleteAsync(context, pending, cancellationToken);
            }
        }

        return SecondFactorOutcome.Retry("Your devices changed meanwhile. Try again.");
    }

    /// <summary>The device keeps its id and name; key, parameters and registration time are the new key's.</summary>
    private async Task<SecondFactorOutcome> ChangeKeyAsync(HttpContext context, PendingSignIn pending, string deviceId, OtpDevice confirmed, long step, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await devices.LoadAsync(pending.UserId, cancellationToken);
            if (stored.Document.Devices.FirstOrDefault(d => d.Id == deviceId) is not { } old)
            {
                await pendingSignIns.CompleteAsync(context, pending, cancellationToken);
                return SecondFactorOutcome.Restart("That device was removed meanwhile; nothing was changed.");
            }

            var rekeyed = OtpVerifier.Consume(old with
            {
                Type = OtpDeviceType.Totp,
                Secret = confirmed.Secret,
                Epoch = confirmed.Epoch,
                Algorithm = confirmed.Algorithm,
                Digits = confirmed.Digits,
                Period = confirmed.Period,
                Counter = 0,
                LastStep = null,
            }, step, now);
            if (await devices.TryReplaceAsync(pending.UserId, stored.Document.Replace(rekeyed), stored.Version, cancellationToken))
            {
                await audit.WriteAsync(AuditEventTypes.DeviceKeyChanged, $"user:{pending.UserId}", pending.UserId, details: $"device {old.Id} \"{old.Name}\" has a new key", cancellationToken: cancellationToken);
                return await CompleteAsync(context, pending, cancellationToken);
            }
        }

        return SecondFactorOutcome.Retry("Your devices changed meanwhile. Try again.");
    }

    private async Task<SecondFactorOutcome> FailAsync(HttpContext context, PendingSignIn pending, string message, CancellationToken cancellationToken)
    {
        var failures = await pendingSignIns.RecordFailureAsync(pending, cancellationToken);
        if (await budget.RecordFailureAsync(pending.UserId, cancellationToken) is { } lockedUntil)
        {
            await audit.WriteAsync(AuditEventTypes.OtpLocked, $"user:{pending.UserId}", pending.UserId, details: $"until {lockedUntil:u}", cancellationToken: cancellationToken);
            await pendingSignIns.CompleteAsync(context, pending, cancellationToken);
            return SecondFactorOutcome.Restart(LockedMessage(lockedUntil));
        }

        if (failures >= otp.CurrentValue.Retries)
        {
            await pendingSignIns.CompleteAsync(context, pending, cancellationToken);
            return SecondFactorOutcome.Restart("Too many wrong codes. Sign in again.");
        }

        return SecondFactorOutcome.Retry(message);
    }

    private async Task<SecondFactorOutcome> CompleteAsync(HttpContext context, PendingSignIn pending, CancellationToken cancellationToken)
    {
        // A second tab finishing the same sign-in gets nothing: the pending state is consumed once.
        if (!await pendingSignIns.CompleteAsync(context, pending, cancellationToken) || await users.FindByIdAsync(pending.UserId) is not { } user)
        {
            return SecondFactorOutcome.Restart("This sign-in was already completed or has expired. Sign in again.");
        }

        var amr = pending.PriorAmr.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Append(AuthenticationMethods.OneTimePassword).Append(AuthenticationMethods.MultiFactor).Distinct(StringComparer.Ordinal);
        var claims = amr.Select(m => new Claim(SessionClaims.Amr, m)).Append(new Claim(SessionClaims.AuthTime, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        await signInManager.SignInWithClaimsAsync(user, isPersistent: false, [.. claims]);
        return SecondFactorOutcome.Continue(pending.ReturnUrl);
    }

    private byte[] Seed(string protectedSeed)
        => protector.TryUnprotect(protectedSeed, SecretPurposes.OtpSeed, out var seed) ? seed : throw new InvalidOperationException("an enrollment seed could not be decrypted");

    private string Issuer() => otp.CurrentValue.Issuer is { Length: > 0 } issuer ? issuer : new Uri(idp.Value.Issuer!).Host;

    private int Digits(OtpVerificationResult result) => result.Device?.Digits ?? otp.CurrentValue.Digits;

    private static string LockedMessage(DateTime until)
        => $"Too many wrong codes: your second factor is locked until {until:HH:mm} UTC. Try again then, or ask an administrator.";
}
