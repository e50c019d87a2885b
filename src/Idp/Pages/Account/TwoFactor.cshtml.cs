using Idp.Accounts;
using Idp.Accounts.SecondFactor;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Idp.Pages.Account;

/// <summary>
/// The code page: after the password (or for step-up), before any new session. Every code goes through the guarded
/// path (Otp:Retries per page, the user's budget). When the user's devices have all expired, a code from one of
/// them (within Otp:ExpiredGracePeriod) opens the enrollment of a new one.
/// </summary>
[EnableRateLimiting(RateLimitingRegistration.SignInPolicy)]
public sealed class TwoFactorModel(PendingSignIns pendingSignIns, SecondFactorSignIn secondFactor, SecondFactorMethods methods, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? DeviceId { get; set; }

    public string? ErrorMessage { get; private set; }

    /// <summary>The credentials a response may come from, of every kind (their names only).</summary>
    public IReadOnlyList<SecondFactorCredential> Devices { get; private set; } = [];

    /// <summary>The kinds of factor, with their labels and logos (Otp:Label and Otp:Logo for one-time codes).</summary>
    public IReadOnlyList<SecondFactorDescriptor> Kinds => [.. methods.All.Select(m => m.Descriptor)];

    /// <summary>The devices shown are expired ones, whose code proves possession for re-enrollment.</summary>
    public bool ProvingExpired { get; private set; }

    [TempData]
    public string? Restart { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await pendingSignIns.FindAsync(HttpContext, cancellationToken) is not { } pending)
        {
            return Redirect(AccountRoutes.LoginTimedOut);
        }

        if (pending.Purpose is not (PendingSignInPurpose.SignIn or PendingSignInPurpose.ProveExpired))
        {
            return Redirect(AccountRoutes.Enroll);
        }

        await LoadAsync(pending, cancellationToken);
        foreach (var method in methods.All.Where(m => Devices.Any(d => d.Kind == m.Descriptor.Kind)))
        {
            await method.StartChallengeAsync(pending.UserId, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await pendingSignIns.FindAsync(HttpContext, cancellationToken) is not { } pending)
        {
            return Redirect(AccountRoutes.LoginTimedOut);
        }

        var outcome = await secondFactor.VerifyAsync(HttpContext, pending, Code, string.IsNullOrEmpty(DeviceId) ? null : DeviceId, cancellationToken);
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
        await LoadAsync(pending, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(StoredPendingSignIn pending, CancellationToken cancellationToken)
    {
        ProvingExpired = pending.Purpose == PendingSignInPurpose.ProveExpired;
        var now = time.GetUtcNow();
        Devices = [.. (await methods.CredentialsAsync(pending.UserId, cancellationToken)).Where(c => ProvingExpired ? methods.IsExpiredWithinGrace(c, now) : c.IsUsable(now))];
    }
}
