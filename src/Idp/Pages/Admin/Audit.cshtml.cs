using Idp.Admin;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Admin;

/// <summary>/admin/audit: the audit trail, newest first, filtered by user and event type, 50 a page.</summary>
public sealed class AuditModel(AuditQuery audit, UserManager<IdpUser> users, IOptions<IdpOptions> options) : AdminPageModel(users, options)
{
    private const int PageSize = 50;

    public string? UserFilter { get; private set; }

    public string? TypeFilter { get; private set; }

    public string? ErrorMessage { get; private set; }

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public string? NextPage { get; private set; }

    public async Task OnGetAsync(string? user, string? type, long? before, CancellationToken cancellationToken)
    {
        UserFilter = user?.Trim();
        TypeFilter = type?.Trim();
        string? userId = null;
        if (!string.IsNullOrEmpty(UserFilter))
        {
            var found = await Users.FindByNameAsync(UserFilter);
            if (found is null)
            {
                ErrorMessage = $"No user '{UserFilter}'.";
                return;
            }

            userId = found.Id;
        }

        Events = await audit.NewestAsync(userId, TypeFilter, before, PageSize, cancellationToken);
        if (Events.Count == PageSize)
        {
            NextPage = $"/admin/audit?user={Uri.EscapeDataString(UserFilter ?? string.Empty)}&type={Uri.EscapeDataString(TypeFilter ?? string.Empty)}&before={Events[^1].Id}";
        }
    }
}
