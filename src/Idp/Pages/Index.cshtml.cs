using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Idp.Pages;

/// <summary>The root sends people to their account page, or to sign in.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect(Accounts.AccountRoutes.Account) : Redirect(Accounts.AccountRoutes.Login);
}
