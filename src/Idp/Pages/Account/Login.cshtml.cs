using Idp.Accounts;
using Idp.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Account;

/// <summary>
/// Password sign-in. An unknown user and a wrong password get the same message and cost the same time; repeated
/// failures lock the account (<c>Idp:Lockout</c>); form posts are rate-limited per address.
/// </summary>
[EnableRateLimiting(RateLimitingRegistration.SignInPolicy)]
public sealed class LoginModel(PasswordSignIn signIn, Idp.Accounts.SecondFactor.SecondFactorSignIn secondFactor, IOptions<IdpOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Login { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? ErrorMessage { get; private set; }

    public string? Notice { get; private set; }

    /// <summary>Why the second step sent the person back here (too many wrong codes, a lock).</summary>
    [TempData]
    public string? Restart { get; set; }

    public int PasswordMaxLength => options.Value.Password.MaxLength;

    /// <param name="login_hint">OIDC Core §3.1.2.1: the app's hint of who is signing in; only pre-fills the field.</param>
    public void OnGet(string? notice, [FromQuery(Name = "login_hint")] string? loginHint)
    {
        Login = loginHint is { Length: <= UserDirectory.MaxLoginLength } ? loginHint : null;
        Notice = notice switch
        {
            "signed-out" => "You are signed out.",
            "admin-created" => "The administrator account is ready. Sign in with it.",
            "2fa-timeout" => "The sign-in took too long. Sign in again.",
            _ => null,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await signIn.SignInAsync(HttpContext, Login, Password, cancellationToken);
        if (result.Succeeded)
        {
            // Otp:Ttl: a device that expired no longer signs in; its owner hears it before going on.
            return result.HasExpiredDevices
                ? LocalRedirect($"{AccountRoutes.Expired}?returnUrl={Uri.EscapeDataString(SafeReturnUrl(ReturnUrl))}")
                : LocalRedirect(SafeReturnUrl(ReturnUrl));
        }

        if (result.NeedsSecondFactor)
        {
            var next = await secondFactor.BeginAsync(HttpContext, result.User!, SafeReturnUrl(ReturnUrl), cancellationToken);
            if (next.Redirect is not null)
            {
                return LocalRedirect(next.Redirect);
            }

            ErrorMessage = next.Error;
            Password = null;
            return Page();
        }

        ErrorMessage = result.Message;
        Password = null;
        return Page();
    }

    /// <summary>Every return URL is hostile until proven local: "/x" yes; "//evil", "/\evil", "https://evil" no.</summary>
    internal string SafeReturnUrl(string? returnUrl) => !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : AccountRoutes.Account;
}
