using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Enrollment;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Idp.Otp.Pages.TwoFactorRegisters;

/// <summary>
/// /2fregisters/otp: what only authenticator-app devices have, after a fresh code through the core's guarded path:
/// show a key again (Otp:DisplayExistingSecret), give a device a new key (Otp:UserCanChangeKey). LemonLDAP::NG
/// options, both off by default (its changelog #2543 explains why).
/// </summary>
[Authorize]
[EnableRateLimiting(SecondFactorConventions.GuessingRateLimit)]
public sealed class OtpModel(ISecondFactorAccount account, IOtpDeviceStore store, OtpEnrollment enrollment, ISecretProtector protector, IOptionsMonitor<OtpOptions> options) : PageModel
{
    public IReadOnlyList<OtpDevice> Devices { get; private set; } = [];

    public string? ErrorMessage { get; private set; }

    public bool CanShowKey => options.CurrentValue.DisplayExistingSecret;

    public bool CanChangeKey => options.CurrentValue.UserCanChangeKey;

    /// <summary>A registered key shown again after a fresh code, to add it to another app.</summary>
    public (string DeviceName, EnrollmentOffer Offer)? ShownKey { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostShowKeyAsync(string? deviceId, string? code, CancellationToken cancellationToken)
    {
        if (!CanShowKey)
        {
            return await ShowAsync(cancellationToken, "Showing a registered key again is turned off.");
        }

        var device = (await store.LoadAsync(UserId, cancellationToken)).Document.Devices.FirstOrDefault(d => d.Id == deviceId);
        if (device is null || device.Type != OtpDeviceType.Totp)
        {
            return await ShowAsync(cancellationToken, "Choose one of your TOTP devices.");
        }

        if (device.Serial is not null)
        {
            // Shown once, a hardware token's key would make it copyable for good, after it goes back to the pool too.
            return await ShowAsync(cancellationToken, "A hardware token's key is never shown.");
        }

        // The key of the second factor is shown only to someone who holds the second factor now.
        if (await account.CheckFreshResponseAsync(HttpContext, deviceId, code, "showing a key", "the key is not shown", cancellationToken) is { } refused)
        {
            return await ShowAsync(cancellationToken, refused);
        }

        if (!protector.TryUnprotect(device.Secret, OtpSecretPurposes.OtpSeed, out var seed))
        {
            return await ShowAsync(cancellationToken, "This device's key cannot be read; register a new device instead.");
        }

        ShownKey = (device.Name, enrollment.OfferFor(User.Identity?.Name ?? string.Empty, seed, device.Algorithm, device.Digits, device.Period));
        await account.AuditAsync(HttpContext, OtpAuditEvents.DeviceKeyShown, $"key of device {device.Id} \"{device.Name}\" shown to its owner", cancellationToken);
        return await ShowAsync(cancellationToken); // never cached: the page has a form, so antiforgery sends no-store
    }

    public async Task<IActionResult> OnPostChangeKeyAsync(string? deviceId, string? code, CancellationToken cancellationToken)
    {
        if (!CanChangeKey)
        {
            return await ShowAsync(cancellationToken, "Changing a device's key yourself is turned off; register a new device instead.");
        }

        var device = (await store.LoadAsync(UserId, cancellationToken)).Document.Devices.FirstOrDefault(d => d.Id == deviceId);
        if (device is null)
        {
            return await ShowAsync(cancellationToken, "That device does not exist.");
        }

        if (device.Serial is not null)
        {
            return await ShowAsync(cancellationToken, "A hardware token's key is in the token and cannot be changed.");
        }

        if (await account.CheckFreshResponseAsync(HttpContext, deviceId, code, "key change", "the key was not changed", cancellationToken) is { } refused)
        {
            return await ShowAsync(cancellationToken, refused);
        }

        return LocalRedirect(await account.BeginNewKeyAsync(HttpContext, deviceId!, cancellationToken));
    }

    private string UserId => account.UserIdOf(HttpContext) ?? throw new InvalidOperationException("a signed-in page without a session");

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken, string? error = null)
    {
        Devices = (await store.LoadAsync(UserId, cancellationToken)).Document.Devices;
        ErrorMessage = error;
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
