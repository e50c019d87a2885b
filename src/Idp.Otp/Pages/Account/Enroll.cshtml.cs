using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Enrollment;
using Idp.Otp.Options;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Idp.Otp.Pages.Account;

/// <summary>
/// TOTP enrollment by QR code. The core decides whether this browser may be here at all
/// (<see cref="IEnrollmentFlow.OpenAsync"/>): only for a first device where that is allowed, or another device or a
/// new key after a fresh code; a plain sign-in after the password never gets a key.
/// </summary>
[EnableRateLimiting(SecondFactorConventions.GuessingRateLimit)]
public sealed class EnrollModel(IEnrollmentFlow flow, OtpEnrollment enrollment, IOtpDeviceStore devices, IOptionsMonitor<OtpOptions> options, TimeProvider time) : PageModel
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

    /// <summary>Why the person is sent back to the sign-in page; the core's sign-in page shows it.</summary>
    [TempData]
    public string? Restart { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var (pending, elsewhere) = await flow.OpenAsync(HttpContext, cancellationToken);
        if (pending is null)
        {
            return Redirect(elsewhere!);
        }

        await ShowAsync(pending, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (pending, elsewhere) = await flow.OpenAsync(HttpContext, cancellationToken);
        if (pending is null)
        {
            return Redirect(elsewhere!);
        }

        var step = await enrollment.EnrollAsync(HttpContext, pending, Name, Code, cancellationToken);
        if (step.Redirect is not null)
        {
            Restart = step.StartOver;
            return LocalRedirect(step.Redirect);
        }

        ErrorMessage = step.Error;
        await ShowAsync((await flow.OpenAsync(HttpContext, cancellationToken)).Pending ?? pending, cancellationToken);
        return Page();
    }

    private async Task ShowAsync(PendingEnrollment pending, CancellationToken cancellationToken)
    {
        Offer = await enrollment.OfferAsync(pending, cancellationToken);
        var ttl = options.CurrentValue.Ttl;
        var owned = (await devices.LoadAsync(pending.UserId, cancellationToken)).Document.Devices;
        ReplacingName = owned.FirstOrDefault(d => d.Id == pending.ReplacesCredentialId)?.Name;
        var expired = owned.Where(d => d.IsExpired(ttl, time.GetUtcNow())).Select(d => d.Name).ToList();
        ExpiredNotice = expired.Count == 0 ? null : $"Your device {string.Join(", ", expired)} has expired and no longer signs in. Set up a new one.";
    }
}
