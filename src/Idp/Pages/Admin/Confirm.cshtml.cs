using Idp.Admin;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Admin;

/// <summary>
/// Every action on a user is confirmed here first: the page says what will happen, asks for the reason, and only
/// its POST (antiforgery-checked) acts. A refused action shows why on the same page, nothing changed.
/// </summary>
public sealed class ConfirmModel(UserAdministration admin, UserManager<IdpUser> users, IOptions<IdpOptions> options) : AdminPageModel(users, options)
{
    private static readonly Dictionary<string, (string Title, bool ReasonRequired)> Actions = new(StringComparer.Ordinal)
    {
        ["remove-device"] = ("Remove the device", true),
        ["remove-all"] = ("Remove all devices", true),
        ["clear-otp-lock"] = ("Clear the second-factor lock", false),
        ["lock"] = ("Lock the account", true),
        ["unlock"] = ("Unlock the account", false),
        ["end-sessions"] = ("End all sessions", true),
        ["flush-directory-cache"] = ("Forget the cached directory lookups", false),
    };

    public IdpUser Subject { get; private set; } = null!;

    public string Action { get; private set; } = string.Empty;

    public string Title => Actions[Action].Title;

    public bool ReasonRequired => Actions[Action].ReasonRequired;

    public DeviceView? Device { get; private set; }

    public bool EndsSessions => Action is "lock" or "end-sessions" || (Action is "remove-device" or "remove-all" && Settings.Admin.EndSessionsOnDeviceRemoval);

    public string? ErrorMessage { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(string username, string? action, string? device, CancellationToken cancellationToken)
        => await LoadAsync(username, action, device, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(string username, string? action, string? device, CancellationToken cancellationToken)
    {
        if (await LoadAsync(username, action, device, cancellationToken) is { } refused)
        {
            return refused;
        }

        var outcome = Action switch
        {
            "remove-device" => await admin.RemoveDeviceAsync(Subject, Device!.Id, Reason, Actor, cancellationToken),
            "remove-all" => await admin.RemoveAllDevicesAsync(Subject, Reason, Actor, cancellationToken),
            "clear-otp-lock" => await admin.ClearOtpLockAsync(Subject, Reason, Actor, cancellationToken),
            "lock" => await admin.LockAsync(Subject, Reason, Actor, cancellationToken),
            "unlock" => await admin.UnlockAsync(Subject, Reason, Actor, cancellationToken),
            "flush-directory-cache" => await admin.FlushDirectoryCacheAsync(Subject, Reason, Actor, cancellationToken),
            _ => await admin.EndSessionsAsync(Subject, Reason, Actor, cancellationToken),
        };
        if (!outcome.Succeeded)
        {
            ErrorMessage = outcome.Message;
            Response.StatusCode = outcome.Kind == AdminOutcomeKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return Page();
        }

        TempData["Status"] = outcome.Message;
        return Redirect($"/admin/users/{Uri.EscapeDataString(Subject.UserName!)}");
    }

    private async Task<IActionResult?> LoadAsync(string username, string? action, string? device, CancellationToken cancellationToken)
    {
        if (await admin.FindAsync(username) is not { } user || action is null || !Actions.ContainsKey(action))
        {
            return NotFound();
        }

        Subject = user;
        Action = action;
        if (action == "remove-device")
        {
            Device = (await admin.DevicesAsync(user, cancellationToken)).FirstOrDefault(d => d.Id == device);
            if (Device is null)
            {
                return NotFound();
            }
        }

        return null;
    }
}
