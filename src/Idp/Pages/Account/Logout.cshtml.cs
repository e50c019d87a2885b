using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Idp.Pages.Account;

/// <summary>Sign-out asks first (GET shows a form, POST signs out), so a stray link or image cannot end a session.</summary>
public sealed class LogoutModel(SignInManager<IdpUser> signInManager, Accounts.SecondFactor.PendingSignIns pendingSignIns, ILogger<LogoutModel> logger) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // A second step left pending in this browser (a step-up begun and abandoned) ends with the session.
        await pendingSignIns.DiscardAsync(HttpContext, cancellationToken);
        if (User.Identity?.IsAuthenticated == true)
        {
            // Removes the server-side session row too (DbTicketStore), so the cookie is dead on every node.
            await signInManager.SignOutAsync();
            logger.LogInformation(EventIds.SignedOut, "Signed out");
        }

        return Redirect($"{Accounts.AccountRoutes.Login}?notice=signed-out");
    }
}
