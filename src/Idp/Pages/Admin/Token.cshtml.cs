using Idp.Admin;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Idp.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Admin;

/// <summary>
/// /admin/tokens/{serial}: one token and what can be done to it (assign, unassign, enable, disable, resync, reset
/// its holder's failures, delete), each a form of its own, antiforgery-checked, with a reason for the audit trail.
/// A refused action shows why on the page; nothing changed.
/// </summary>
public sealed class TokenModel(TokenCatalog catalog, TokenPool pool, UserAdministration admin, UserManager<IdpUser> users, IOptions<IdpOptions> options) : AdminPageModel(users, options)
{
    public TokenView Token { get; private set; } = null!;

    public string? ErrorMessage { get; private set; }

    [TempData]
    public string? Status { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(string serial, CancellationToken cancellationToken)
        => await LoadAsync(serial, cancellationToken) ?? Page();

    public Task<IActionResult> OnPostAssignAsync(string serial, string? user, CancellationToken cancellationToken)
        => ActAsync(serial, async () =>
        {
            var (holder, problem) = await admin.LookUpAsync(user);
            return holder is null ? new AdminOutcome(AdminOutcomeKind.UserNotFound, problem ?? "No such user.") : await pool.AssignAsync(serial, holder, Reason, Actor, cancellationToken);
        }, cancellationToken);

    public Task<IActionResult> OnPostUnassignAsync(string serial, CancellationToken cancellationToken)
        => ActAsync(serial, () => pool.UnassignAsync(serial, Reason, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string serial, CancellationToken cancellationToken)
        => ActAsync(serial, () => pool.SetDisabledAsync(serial, true, Reason, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(string serial, CancellationToken cancellationToken)
        => ActAsync(serial, () => pool.SetDisabledAsync(serial, false, Reason, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResyncAsync(string serial, string? code1, string? code2, CancellationToken cancellationToken)
        => ActAsync(serial, () => pool.ResyncAsync(serial, code1, code2, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostResetFailuresAsync(string serial, CancellationToken cancellationToken)
        => ActAsync(serial, () => pool.ResetFailuresAsync(serial, Reason, Actor, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostDeleteAsync(string serial, CancellationToken cancellationToken)
    {
        if (await LoadAsync(serial, cancellationToken) is { } missing)
        {
            return missing;
        }

        var outcome = await pool.DeleteAsync(serial, Reason, Actor, cancellationToken);
        if (!outcome.Succeeded)
        {
            return Refused(outcome);
        }

        Status = outcome.Message;
        return Redirect(TokensModel.Path);
    }

    private async Task<IActionResult> ActAsync(string serial, Func<Task<AdminOutcome>> action, CancellationToken cancellationToken)
    {
        if (await LoadAsync(serial, cancellationToken) is { } missing)
        {
            return missing;
        }

        var outcome = await action();
        if (!outcome.Succeeded)
        {
            await LoadAsync(serial, cancellationToken);
            return Refused(outcome);
        }

        Status = outcome.Message;
        return Redirect($"{TokensModel.Path}/{Uri.EscapeDataString(Token.Serial)}");
    }

    private PageResult Refused(AdminOutcome outcome)
    {
        ErrorMessage = outcome.Message;
        Response.StatusCode = outcome.Kind switch
        {
            AdminOutcomeKind.Conflict => StatusCodes.Status409Conflict,
            AdminOutcomeKind.UserNotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status400BadRequest,
        };
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string serial, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(serial, cancellationToken) is not { } token)
        {
            return NotFound();
        }

        Token = token;
        return null;
    }
}
