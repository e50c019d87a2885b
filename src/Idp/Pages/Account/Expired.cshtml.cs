using Idp.Accounts;
using Idp.Accounts.SecondFactor;
using Idp.Oidc.Authorize;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Idp.Pages.Account;

/// <summary>
/// Shown after a password sign-in when the second factor was not required but the user's devices have expired
/// (Otp:Ttl): they are told, may register a new device, or go on where they were going.
/// </summary>
public sealed class ExpiredModel(SecondFactorPolicy policy) : PageModel
{
    public IReadOnlyList<string> DeviceNames { get; private set; } = [];

    public string ContinueUrl { get; private set; } = AccountRoutes.Account;

    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        if (SessionInfo.From(User) is not { } session)
        {
            return Redirect(AccountRoutes.Login);
        }

        ContinueUrl = !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : AccountRoutes.Account;
        DeviceNames = await policy.ExpiredDeviceNamesAsync(session.UserId, cancellationToken);
        return DeviceNames.Count == 0 ? LocalRedirect(ContinueUrl) : Page();
    }
}
