using Idp.Accounts;
using Idp.Hosting;
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
        var here = Request.Path + Request.QueryString;
        var (verdict, administrator) = await AdminGate.CheckAsync(User, users, options.Value);
        switch (verdict)
        {
            case AdminGate.Verdict.SignedOut:
                context.Result = Redirect($"{AccountRoutes.Login}?ReturnUrl={Uri.EscapeDataString(here)}");
                return;
            case AdminGate.Verdict.NotAnAdministrator:
                context.Result = new RedirectResult(AccountRoutes.Denied);
                return;
            case AdminGate.Verdict.NeedsSecondFactor:
                context.Result = Redirect($"{AccountRoutes.StepUp}?returnUrl={Uri.EscapeDataString(here)}");
                return;
        }

        Administrator = administrator!;
        await next();
    }
}
