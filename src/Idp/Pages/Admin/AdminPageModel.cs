using Idp.Accounts;
using Idp.Hosting;
using Idp.Oidc.Authorize;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Admin;

/// <summary>
/// The gate of every /admin page: a signed-in user (the folder is authorized) who holds Idp:Admin:Role now (read
/// from the database on every request, so a revoked role takes effect at once) and passed a second factor in this
/// session (amr "mfa"; else step-up: the code, not the password again).
/// </summary>
public abstract class AdminPageModel(UserManager<IdpUser> users, IOptions<IdpOptions> options) : PageModel
{
    protected IdpUser Administrator { get; private set; } = null!;

    protected UserManager<IdpUser> Users => users;

    protected IdpOptions Settings => options.Value;

    protected Idp.Admin.AdminActor Actor => Idp.Admin.AdminActor.Administrator(Administrator.Id);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var session = SessionInfo.From(User);
        var here = Request.Path + Request.QueryString;
        if (session is null)
        {
            context.Result = Redirect($"{AccountRoutes.Login}?ReturnUrl={Uri.EscapeDataString(here)}");
            return;
        }

        var user = await users.FindByIdAsync(session.UserId);
        if (user is null || !await users.IsInRoleAsync(user, options.Value.Admin.Role))
        {
            context.Result = new RedirectResult(AccountRoutes.Denied);
            return;
        }

        if (!session.HasSecondFactor)
        {
            context.Result = Redirect($"{AccountRoutes.StepUp}?returnUrl={Uri.EscapeDataString(here)}");
            return;
        }

        Administrator = user;
        await next();
    }
}
