using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Idp.Pages.Account;

/// <summary>The signed-in person's own page.</summary>
public sealed class IndexModel(UserManager<IdpUser> users, Microsoft.Extensions.Options.IOptions<Hosting.IdpOptions> options) : PageModel
{
    public string UserName { get; private set; } = string.Empty;

    public string? Email { get; private set; }

    public IList<string> Roles { get; private set; } = [];

    public DateTime CreatedAt { get; private set; }

    public bool IsAdministrator => Roles.Contains(options.Value.Admin.Role);

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            // The account was deleted while the session lived.
            return Redirect(Accounts.AccountRoutes.Logout);
        }

        UserName = user.UserName ?? string.Empty;
        Email = user.Email;
        Roles = await users.GetRolesAsync(user);
        CreatedAt = user.CreatedAt;
        return Page();
    }
}
