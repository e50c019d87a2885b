using Idp.Accounts.SecondFactor;
using Idp.Oidc.Authorize;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Idp.Pages.Account;

/// <summary>
/// Step-up: someone signed in with a password only reaches an application that needs the second factor; they are
/// asked for the code (or to enroll), not for the password again.
/// </summary>
public sealed class StepUpModel(SecondFactorSignIn secondFactor, UserManager<IdpUser> users) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        var session = SessionInfo.From(User);
        var user = session is null ? null : await users.FindByIdAsync(session.UserId);
        var target = !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/account";
        if (session is null || user is null)
        {
            return Redirect($"/account/login?ReturnUrl={Uri.EscapeDataString(target)}");
        }

        return LocalRedirect(await secondFactor.BeginAsync(HttpContext, user, target, string.Join(' ', session.Amr), cancellationToken));
    }
}
