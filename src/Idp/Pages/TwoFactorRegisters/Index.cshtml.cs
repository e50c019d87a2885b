using Idp.Accounts;
using Idp.Accounts.SecondFactor;
using Idp.Hosting;
using Idp.Oidc.Audit;
using Idp.Oidc.Authorize;
using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Idp.Pages.TwoFactorRegisters;

/// <summary>
/// /2fregisters (LemonLDAP::NG's address): a signed-in person's devices, never their secrets. Rename; after a fresh
/// code (checked through the guarded path, <see cref="FreshCodeCheck"/>): register another (Otp:SelfRegistration, up to
/// Otp:MaxDevices), remove (Otp:UserCanRemoveKey), show a key again (Otp:DisplayExistingSecret), give a device a new
/// key (Otp:UserCanChangeKey). Removing or re-keying ends the user's other sessions and revokes their refresh tokens.
/// </summary>
[Authorize]
[EnableRateLimiting(RateLimitingRegistration.SignInPolicy)]
public sealed class IndexModel(
    IOtpDeviceStore store,
    FreshCodeCheck freshCode,
    SecondFactorSignIn secondFactor,
    Otp.Enrollment.OtpEnrollment enrollment,
    SecondFactorPolicy policy,
    UserSessionsEnder sessions,
    SecretProtector protector,
    UserManager<IdpUser> users,
    AuditLog audit,
    IOptionsMonitor<OtpOptions> options,
    TimeProvider time) : PageModel
{
    public IReadOnlyList<OtpDevice> Devices { get; private set; } = [];

    public string? Message { get; private set; }

    public string? ErrorMessage { get; private set; }

    public long? Ttl => options.CurrentValue.Ttl;

    public int NameMaxLength => options.CurrentValue.DeviceNameMaxLength;

    public bool CanAdd => options.CurrentValue.SelfRegistration && Devices.Count < options.CurrentValue.MaxDevices;

    /// <summary>With any device registered, adding another needs a fresh code (NIST SP 800-63B §6.1.2.1).</summary>
    public bool AddNeedsCode => Devices.Count > 0;

    public bool CanRemove => options.CurrentValue.UserCanRemoveKey;

    public bool CanShowKey => options.CurrentValue.DisplayExistingSecret;

    public bool CanChangeKey => options.CurrentValue.UserCanChangeKey;

    /// <summary>A registered key shown again after a fresh code (Otp:DisplayExistingSecret), to add it to another app.</summary>
    public (string DeviceName, Otp.Enrollment.EnrollmentOffer Offer)? ShownKey { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(string? code, CancellationToken cancellationToken)
    {
        var (session, _) = await CurrentAsync();
        await LoadAsync(session.UserId, cancellationToken);
        if (!CanAdd)
        {
            return await ShowAsync(cancellationToken, error: options.CurrentValue.SelfRegistration ? $"You already have {options.CurrentValue.MaxDevices} devices, the most allowed." : "Registering devices yourself is turned off; ask an administrator.");
        }

        if (await freshCode.NeededToAddAsync(session.UserId, cancellationToken)
            && Refusal(await freshCode.ForAddingAsync(session, code, cancellationToken), "no device was added") is { } refused)
        {
            return await ShowAsync(cancellationToken, error: refused);
        }

        return LocalRedirect(await secondFactor.BeginAddDeviceAsync(HttpContext, session, cancellationToken));
    }

    public async Task<IActionResult> OnPostRenameAsync(string? deviceId, string? name, CancellationToken cancellationToken)
    {
        var (session, _) = await CurrentAsync();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await store.LoadAsync(session.UserId, cancellationToken);
            if (stored.Document.Devices.FirstOrDefault(d => d.Id == deviceId) is not { } device)
            {
                return await ShowAsync(cancellationToken, error: "That device does not exist.");
            }

            if (DeviceNameRules.Validate(name, options.CurrentValue.DeviceNameMaxLength, stored.Document.Devices, device.Id) is { } problem)
            {
                return await ShowAsync(cancellationToken, error: problem);
            }

            if (await store.TryReplaceAsync(session.UserId, stored.Document.Replace(device with { Name = name!.Trim() }), stored.Version, cancellationToken))
            {
                await audit.WriteAsync(AuditEventTypes.DeviceRenamed, $"user:{session.UserId}", session.UserId, details: $"device {device.Id} \"{device.Name}\" -> \"{name.Trim()}\"", cancellationToken: cancellationToken);
                return await ShowAsync(cancellationToken, message: $"Renamed to {name.Trim()}.");
            }
        }

        return await ShowAsync(cancellationToken, error: "Your devices changed meanwhile. Try again.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? deviceId, string? code, CancellationToken cancellationToken)
    {
        var (session, user) = await CurrentAsync();
        if (!options.CurrentValue.UserCanRemoveKey)
        {
            return await ShowAsync(cancellationToken, error: "Removing devices yourself is turned off; ask an administrator.");
        }

        // What can be refused without the code is refused first: no attempt is spent on it.
        var mustKeepOne = await policy.AlwaysRequiredAsync(user);
        if (RemovalProblem((await store.LoadAsync(session.UserId, cancellationToken)).Document, deviceId, mustKeepOne) is { } problem)
        {
            return await ShowAsync(cancellationToken, error: problem);
        }

        // Removal needs the second factor itself, not just a session (a stolen session cannot strip the account).
        if (Refusal(await freshCode.ForChangingAsync(session, deviceId, code, "removal", cancellationToken), "the device was not removed") is { } refused)
        {
            return await ShowAsync(cancellationToken, error: refused);
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            // Checked again on the very version replaced: a concurrent removal cannot leave none.
            var stored = await store.LoadAsync(session.UserId, cancellationToken);
            if (RemovalProblem(stored.Document, deviceId, mustKeepOne) is { } problem2)
            {
                return await ShowAsync(cancellationToken, error: problem2);
            }

            var device = stored.Document.Devices.Single(d => d.Id == deviceId);
            if (await store.TryReplaceAsync(session.UserId, stored.Document.Remove(device.Id), stored.Version, cancellationToken))
            {
                await audit.WriteAsync(AuditEventTypes.DeviceRemoved, $"user:{session.UserId}", session.UserId, details: $"device {device.Id} \"{device.Name}\" removed by its owner", cancellationToken: cancellationToken);
                await EndOtherSessionsAsync(session, "a device was removed by its owner", cancellationToken);
                return await ShowAsync(cancellationToken, message: $"Removed {device.Name}. Your other sessions were ended.");
            }
        }

        return await ShowAsync(cancellationToken, error: "Your devices changed meanwhile. Try again.");
    }

    public async Task<IActionResult> OnPostShowKeyAsync(string? deviceId, string? code, CancellationToken cancellationToken)
    {
        var (session, user) = await CurrentAsync();
        if (!options.CurrentValue.DisplayExistingSecret)
        {
            return await ShowAsync(cancellationToken, error: "Showing a registered key again is turned off.");
        }

        // Like removal: the key of the second factor is shown only to someone who holds the second factor now.
        if (Refusal(await freshCode.ForChangingAsync(session, deviceId, code, "showing a key", cancellationToken), "the key is not shown") is { } refused)
        {
            return await ShowAsync(cancellationToken, error: refused);
        }

        var device = (await store.LoadAsync(session.UserId, cancellationToken)).Document.Devices.FirstOrDefault(d => d.Id == deviceId);
        if (device is null || device.Type != OtpDeviceType.Totp)
        {
            return await ShowAsync(cancellationToken, error: "Choose one of your TOTP devices.");
        }

        if (!protector.TryUnprotect(device.Secret, SecretPurposes.OtpSeed, out var seed))
        {
            return await ShowAsync(cancellationToken, error: "This device's key cannot be read; register a new device instead.");
        }

        ShownKey = (device.Name, enrollment.OfferFor(user.UserName ?? string.Empty, seed, device.Algorithm, device.Digits, device.Period));
        await audit.WriteAsync(AuditEventTypes.DeviceKeyShown, $"user:{session.UserId}", session.UserId, details: $"key of device {device.Id} \"{device.Name}\" shown to its owner", cancellationToken: cancellationToken);
        return await ShowAsync(cancellationToken); // never cached: the page has a form, so antiforgery sends no-store
    }

    public async Task<IActionResult> OnPostChangeKeyAsync(string? deviceId, string? code, CancellationToken cancellationToken)
    {
        var (session, _) = await CurrentAsync();
        if (!options.CurrentValue.UserCanChangeKey)
        {
            return await ShowAsync(cancellationToken, error: "Changing a device's key yourself is turned off; register a new device instead.");
        }

        if (Refusal(await freshCode.ForChangingAsync(session, deviceId, code, "key change", cancellationToken), "the key was not changed") is { } refused)
        {
            return await ShowAsync(cancellationToken, error: refused);
        }

        if ((await store.LoadAsync(session.UserId, cancellationToken)).Document.Devices.All(d => d.Id != deviceId))
        {
            return await ShowAsync(cancellationToken, error: "That device does not exist.");
        }

        return LocalRedirect(await secondFactor.BeginKeyChangeAsync(HttpContext, session, deviceId!, cancellationToken));
    }

    /// <summary>Why <paramref name="deviceId"/> cannot be removed from <paramref name="document"/>, or null.</summary>
    private string? RemovalProblem(OtpDeviceDocument document, string? deviceId, bool mustKeepOne)
    {
        if (document.Devices.All(d => d.Id != deviceId))
        {
            return "That device does not exist.";
        }

        return mustKeepOne && !document.Remove(deviceId!).Devices.Any(d => !d.IsExpired(Ttl, time.GetUtcNow()))
            ? "This is your last device and a second factor is required for you: register another one first, or ask an administrator."
            : null;
    }

    /// <summary>The message for a fresh code that did not pass, or null when it did.</summary>
    private static string? Refusal(CodeCheck check, string notDone) => check.Outcome switch
    {
        CodeCheckOutcome.Accepted => null,
        CodeCheckOutcome.Replayed => "That code was already used. Wait for the next one.",
        CodeCheckOutcome.Locked when check.LockedUntil is { } until => SecondFactorSignIn.LockedMessage(until),
        _ => $"That code is not right; {notDone}.",
    };

    private async Task EndOtherSessionsAsync(SessionInfo session, string why, CancellationToken cancellationToken)
    {
        var (ended, revoked) = await sessions.EndAsync(session.UserId, session.SessionId, cancellationToken);
        await audit.WriteAsync(AuditEventTypes.SessionsEnded, $"user:{session.UserId}", session.UserId, details: $"{ended} other session(s) ended, {revoked} grant(s) revoked: {why}", cancellationToken: cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken, string? message = null, string? error = null)
    {
        var (session, _) = await CurrentAsync();
        await LoadAsync(session.UserId, cancellationToken);
        Message = message;
        ErrorMessage = error;
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    private async Task LoadAsync(string userId, CancellationToken cancellationToken) => Devices = (await store.LoadAsync(userId, cancellationToken)).Document.Devices;

    private async Task<(SessionInfo Session, IdpUser User)> CurrentAsync()
    {
        var session = SessionInfo.From(User) ?? throw new InvalidOperationException("a signed-in page without a session");
        var user = await users.FindByIdAsync(session.UserId) ?? throw new InvalidOperationException("the signed-in user no longer exists");
        return (session, user);
    }
}
