using Idp.Accounts;
using Idp.Accounts.SecondFactor;
using Idp.Oidc.Authorize;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Idp.Pages.Account;

/// <summary>
/// Step-up: someone signed in with a password only reaches what needs the second factor; they are asked for the code
/// (or, with no device at all, to enroll), not for the password again. Only what needs it starts it, and it returns
/// only there: a pending authorization request (an application that demands a higher acr) or the admin area.
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Hosting.RateLimitingRegistration.SignInPolicy)]
public sealed class StepUpModel(SecondFactorSignIn secondFactor, AuthorizeHandler authorize, UserManager<IdpUser> users) : PageModel
{
    [TempData]
    public string? Restart { get; set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        var session = SessionInfo.From(User);
        var user = session is null ? null : await users.FindByIdAsync(session.UserId);
        if (session is null || user is null)
        {
            return Redirect(AccountRoutes.Login);
        }

        if (!await NeedsStepUpAsync(returnUrl, cancellationToken))
        {
            return Redirect(AccountRoutes.Account);
        }

        if (session.HasSecondFactor)
        {
            return LocalRedirect(returnUrl!);
        }

        var outcome = await secondFactor.BeginStepUpAsync(HttpContext, user, session, returnUrl!, cancellationToken);
        if (outcome.BackToLogin)
        {
            Restart = outcome.Error;
            return Redirect(AccountRoutes.Login);
        }

        return LocalRedirect(outcome.Redirect!);
    }

    /// <summary>The admin area, or the resume address of an authorization request that is still pending.</summary>
    private async Task<bool> NeedsStepUpAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(returnUrl) || !Url.IsLocalUrl(returnUrl))
        {
            return false;
        }

        var path = returnUrl.Split('?', 2)[0];
        if (path == AccountRoutes.Admin || path.StartsWith(AccountRoutes.Admin + "/", StringComparison.Ordinal))
        {
            return true;
        }

        if (path != AuthorizeHandler.ResumePath)
        {
            return false;
        }

        var query = QueryHelpers.ParseQuery(returnUrl.Contains('?', StringComparison.Ordinal) ? returnUrl[returnUrl.IndexOf('?', StringComparison.Ordinal)..] : string.Empty);
        return query.TryGetValue("id", out var id) && await authorize.FindPendingAsync(id.ToString(), cancellationToken) is not null;
    }
}
