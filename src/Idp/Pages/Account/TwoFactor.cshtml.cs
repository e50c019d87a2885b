using Idp.Accounts.SecondFactor;
using Idp.Hosting;
using Idp.Otp.Devices;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Idp.Pages.Account;

/// <summary>The code page: after the password, before any session. Wrong codes count toward Otp:Retries and the user's budget.</summary>
[EnableRateLimiting(RateLimitingRegistration.SignInPolicy)]
public sealed class TwoFactorModel(PendingSignInStore pendingSignIns, SecondFactorSignIn secondFactor, SecondFactorPolicy policy) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? DeviceId { get; set; }

    public string? ErrorMessage { get; private set; }

    public IReadOnlyList<OtpDevice> Devices { get; private set; } = [];

    [TempData]
    public string? Restart { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await pendingSignIns.FindAsync(HttpContext, cancellationToken) is not { } pending)
        {
            return Redirect("/account/login?notice=2fa-timeout");
        }

        Devices = await policy.UsableDevicesAsync(pending.UserId, cancellationToken);
        return Devices.Count == 0 ? Redirect(SecondFactorSignIn.EnrollPath) : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await pendingSignIns.FindAsync(HttpContext, cancellationToken) is not { } pending)
        {
            return Redirect("/account/login?notice=2fa-timeout");
        }

        var outcome = await secondFactor.VerifyAsync(HttpContext, pending, Code, string.IsNullOrEmpty(DeviceId) ? null : DeviceId, cancellationToken);
        if (outcome.BackToLogin)
        {
            Restart = outcome.Error;
            return Redirect("/account/login");
        }

        if (outcome.Redirect is not null)
        {
            return LocalRedirect(outcome.Redirect);
        }

        ErrorMessage = outcome.Error;
        Devices = await policy.UsableDevicesAsync(pending.UserId, cancellationToken);
        return Page();
    }
}
