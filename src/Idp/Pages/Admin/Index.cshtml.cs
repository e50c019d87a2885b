using Idp.Admin;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Admin;

/// <summary>/admin: find users by the start of their username or e-mail address.</summary>
public sealed class IndexModel(UserAdministration admin, UserManager<IdpUser> users, IOptions<IdpOptions> options) : AdminPageModel(users, options)
{
    public string? Query { get; private set; }

    public IReadOnlyList<IdpUser> Results { get; private set; } = [];

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Query = q;
        Results = await admin.SearchAsync(q, cancellationToken);
    }
}
