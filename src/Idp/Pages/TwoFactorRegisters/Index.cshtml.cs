using Idp.Accounts.SecondFactor;
using Idp.Oidc.Audit;
using Idp.Oidc.Authorize;
using Idp.Oidc.Protocol;
using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Idp.Otp.Verification;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Idp.Pages.TwoFactorRegisters;

/// <summary>
/// /2fregisters (LemonLDAP::NG's address): a signed-in person's devices, never their secrets. Register another
/// (Otp:SelfRegistration, up to Otp:MaxDevices), rename; after a fresh code: remove (Otp:UserCanRemoveKey), show a
/// key again (Otp:DisplayExistingSecret), give a device a new key (Otp:UserCanChangeKey).
/// </summary>
[Authorize]
public sealed class IndexModel(IOtpDeviceStore store, OtpVerificationService verification, SecondFactorSignIn secondFactor, SecretProtector protector, UserManager<IdpUser> users, AuditLog audit, IOptionsMonitor<OtpOptions> options) : PageModel
{
    public IReadOnlyList<OtpDevice> Devices { get; private set; } = [];

    public string? Message { get; private set; }

    public string? ErrorMessage { get; private set; }

    public long? Ttl => options.CurrentValue.Ttl;

    public int NameMaxLength => options.CurrentValue.DeviceNameMaxLength;

    public bool CanAdd => options.CurrentValue.SelfRegistration && Devices.Count < options.CurrentValue.MaxDevices;

    public bool CanRemove => options.CurrentValue.UserCanRemoveKey;

    public bool CanShowKey => options.CurrentValue.DisplayExistingSecret;

    public bool CanChangeKey => options.CurrentValue.UserCanChangeKey;

    /// <summary>A registered key shown again after a fresh code (Otp:DisplayExistingSecret), to add it to another app.</summary>
    public (string DeviceName, EnrollmentOffer Offer)? ShownKey { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var (session, user) = await CurrentAsync();
        await LoadAsync(session.UserId, cancellationToken);
        if (!CanAdd)
        {
            return await ShowAsync(cancellationToken, error: options.CurrentValue.SelfRegistration ? $"You already have {options.CurrentValue.MaxDevices} devices, the most allowed." : "Registering devices yourself is turned off; ask an administrator.");
        }

        // With a device already, only a session that passed the second factor may add another.
        if (Devices.Count > 0 && !session.Amr.Contains(AuthenticationMethods.OneTimePassword))
        {
            return await ShowAsync(cancellationToken, error: "Sign in with your current device first to register another.");
        }

        return LocalRedirect(await secondFactor.BeginEnrollmentAsync(HttpContext, user, "/2fregisters", string.Join(' ', session.Amr), cancellationToken));
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
        var (session, _) = await CurrentAsync();
        if (!options.CurrentValue.UserCanRemoveKey)
        {
            return await ShowAsync(cancellationToken, error: "Removing devices yourself is turned off; ask an administrator.");
        }

        // Removal needs the second factor itself, not just a session (a stolen session cannot strip the account).
        if (await RefuseWithoutFreshCodeAsync(session.UserId, code, "removal", "the device was not removed", cancellationToken) is { } refused)
        {
            return refused;
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await store.LoadAsync(session.UserId, cancellationToken);
            if (stored.Document.Devices.FirstOrDefault(d => d.Id == deviceId) is not { } device)
            {
                return await ShowAsync(cancellationToken, error: "That device does not exist.");
            }

            if (await store.TryReplaceAsync(session.UserId, stored.Document.Remove(device.Id), stored.Version, cancellationToken))
            {
                await audit.WriteAsync(AuditEventTypes.DeviceRemoved, $"user:{session.UserId}", session.UserId, details: $"device {device.Id} \"{device.Name}\" removed by its owner", cancellationToken: cancellationToken);
                return await ShowAsync(cancellationToken, message: $"Removed {device.Name}.");
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
        if (await RefuseWithoutFreshCodeAsync(session.UserId, code, "showing a key", "the key is not shown", cancellationToken) is { } refused)
        {
            return refused;
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

        ShownKey = (device.Name, secondFactor.OfferFor(user.UserName ?? string.Empty, seed, device.Algorithm, device.Digits, device.Period));
        await audit.WriteAsync(AuditEventTypes.DeviceKeyShown, $"user:{session.UserId}", session.UserId, details: $"key of device {device.Id} \"{device.Name}\" shown to its owner", cancellationToken: cancellationToken);
        return await ShowAsync(cancellationToken); // never cached: the page has a form, so antiforgery sends no-store
    }

    public async Task<IActionResult> OnPostChangeKeyAsync(string? deviceId, string? code, CancellationToken cancellationToken)
    {
        var (session, user) = await CurrentAsync();
        if (!options.CurrentValue.UserCanChangeKey)
        {
            return await ShowAsync(cancellationToken, error: "Changing a device's key yourself is turned off; register a new device instead.");
        }

        if (await RefuseWithoutFreshCodeAsync(session.UserId, code, "key change", "the key was not changed", cancellationToken) is { } refused)
        {
            return refused;
        }

        if ((await store.LoadAsync(session.UserId, cancellationToken)).Document.Devices.All(d => d.Id != deviceId))
        {
            return await ShowAsync(cancellationToken, error: "That device does not exist.");
        }

        return LocalRedirect(await secondFactor.BeginKeyChangeAsync(HttpContext, user, deviceId!, string.Join(' ', session.Amr), cancellationToken));
    }

    /// <summary>The page with an error, unless <paramref name="code"/> is a fresh code from one of the user's devices (then null).</summary>
    private async Task<IActionResult?> RefuseWithoutFreshCodeAsync(string userId, string? code, string action, string notDone, CancellationToken cancellationToken)
    {
        var check = await verification.VerifyAsync(userId, code, null, cancellationToken);
        if (check.Succeeded)
        {
            return null;
        }

        await audit.WriteAsync(AuditEventTypes.OtpFailed, $"user:{userId}", userId, details: $"{action} refused: {check.Outcome}", cancellationToken: cancellationToken);
        return await ShowAsync(cancellationToken, error: check.Outcome == OtpVerificationOutcome.Replayed ? "That code was already used. Wait for the next one." : $"That code is not right; {notDone}.");
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
