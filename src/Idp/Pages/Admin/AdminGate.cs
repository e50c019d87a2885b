using System.Security.Claims;
using Idp.Hosting;
using Idp.Oidc.Authorize;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;

namespace Idp.Pages.Admin;

/// <summary>Who may use /admin, decided in one place: a session, the admin role now (read from the database), and a second factor passed in it.</summary>
internal static class AdminGate
{
    public enum Verdict
    {
        Admitted,
        SignedOut,
        NotAnAdministrator,
        NeedsSecondFactor,
    }

    public static async Task<(Verdict Verdict, IdpUser? Administrator)> CheckAsync(ClaimsPrincipal principal, UserManager<IdpUser> users, IdpOptions options)
    {
        if (SessionInfo.From(principal) is not { } session)
        {
            return (Verdict.SignedOut, null);
        }

        var user = await users.FindByIdAsync(session.UserId);
        if (user is null || !await users.IsInRoleAsync(user, options.Admin.Role))
        {
            return (Verdict.NotAnAdministrator, null);
        }

        return session.HasSecondFactor ? (Verdict.Admitted, user) : (Verdict.NeedsSecondFactor, null);
    }
}
