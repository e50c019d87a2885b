using Idp.Accounts;
using Idp.Accounts.SecondFactor;
using Idp.Hosting;
using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Account;

/// <summary>
/// Enrollment by QR code (Gluu's flow), opened only for a pending sign-in whose purpose is enrollment (see
/// <see cref="SecondFactorEnrollment.Serves"/>): a plain sign-in after the password never gets a key here.
/// </summary>
[EnableRateLimiting(RateLimitingRegistration.SignInPolicy)]
public sealed class EnrollModel(PendingSignInStore pendingSignIns, SecondFactorEnrollment enrollment, IOtpDeviceStore devices, IOptionsMonitor<OtpOptions> options, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Name { get; set; } = DeviceNameRules.DefaultName;

    [BindProperty]
    public string? Code { get; set; }

    public EnrollmentOffer? Offer { get; private set; }

    public string? ErrorMessage { get; private set; }

    public string? ExpiredNotice { get; private set; }

    /// <summary>The device that gets a new key (Otp:UserCanChangeKey), when this enrollment replaces one.</summary>
    public string? ReplacingName { get; private set; }

    public int NameMaxLength => options.CurrentValue.DeviceNameMaxLength;

    [TempData]
    public string? Restart { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await pendingSignIns.FindAsync(HttpContext, cancellationToken) is not { } pending)
        {
            return Redirect(AccountRoutes.LoginTimedOut);
        }

        if (!SecondFactorEnrollment.Serves(pending, HttpContext))
        {
            return pending.Purpose is PendingSignInPurpose.SignIn or PendingSignInPurpose.ProveExpired ? Redirect(AccountRoutes.Code) : Redirect(AccountRoutes.LoginTimedOut);
        }

        await ShowAsync(pending, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await pendingSignIns.FindAsync(HttpContext, cancellationToken) is not { } pending)
        {
            return Redirect(AccountRoutes.LoginTimedOut);
        }

        var outcome = await enrollment.EnrollAsync(HttpContext, pending, Name, Code, cancellationToken);
        if (outcome.BackToLogin)
        {
            Restart = outcome.Error;
            return Redirect(AccountRoutes.Login);
        }

        if (outcome.Redirect is not null)
        {
            return LocalRedirect(outcome.Redirect);
        }

        ErrorMessage = outcome.Error;
        await ShowAsync(await pendingSignIns.FindAsync(HttpContext, cancellationToken) ?? pending, cancellationToken);
        return Page();
    }

    private async Task ShowAsync(PendingSignIn pending, CancellationToken cancellationToken)
    {
        Offer = await enrollment.OfferAsync(pending, cancellationToken);
        var ttl = options.CurrentValue.Ttl;
        var owned = (await devices.LoadAsync(pending.UserId, cancellationToken)).Document.Devices;
        ReplacingName = owned.FirstOrDefault(d => d.Id == pending.ReplacesDeviceId)?.Name;
        var expired = owned.Where(d => d.IsExpired(ttl, time.GetUtcNow())).Select(d => d.Name).ToList();
        ExpiredNotice = expired.Count == 0 ? null : $"Your device {string.Join(", ", expired)} has expired and no longer signs in. Set up a new one.";
    }
}
