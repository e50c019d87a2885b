using Idp.Admin;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Admin;

/// <summary>/admin/users/{username}: devices, locks, sessions and recent audit events, with the actions on them.</summary>
public sealed class UserModel(UserAdministration admin, UserStores.UserStoreCatalog catalog, UserManager<IdpUser> users, IOptions<IdpOptions> options) : AdminPageModel(users, options)
{
    public UserOverview Overview { get; private set; } = null!;

    /// <summary>The realms that ask the user's store: where they sign in.</summary>
    public IReadOnlyList<string> Realms { get; private set; } = [];

    [TempData]
    public string? Status { get; set; }

    public async Task<IActionResult> OnGetAsync(string username, CancellationToken cancellationToken)
    {
        var (user, problem) = await admin.LookUpAsync(username);
        if (user is null)
        {
            return NotFound(problem ?? "No such user.");
        }

        Overview = await admin.OverviewAsync(user, cancellationToken);
        Realms = catalog.RealmsOf(user.StoreName);
        return Page();
    }

    public string ConfirmLink(string action, string? device = null)
        => $"/admin/users/{Uri.EscapeDataString(Overview.User.UserName!)}/confirm?action={action}{(device is null ? string.Empty : "&device=" + Uri.EscapeDataString(device))}";
}
