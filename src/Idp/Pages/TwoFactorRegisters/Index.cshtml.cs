using Idp.Accounts;
using Idp.Accounts.SecondFactor;
using Idp.Hosting;
using Idp.Audit;
using Idp.Oidc.Authorize;
using Idp.Otp.Options;
using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Idp.Pages.TwoFactorRegisters;

/// <summary>
/// /2fregisters (LemonLDAP::NG's address): a signed-in person's credentials of every kind, never their secrets.
/// Rename; after a fresh code (checked through the guarded path, <see cref="FreshCodeCheck"/>): register another
/// (Otp:SelfRegistration, up to Otp:MaxDevices), remove (Otp:UserCanRemoveKey). Removing ends the user's other
/// sessions and revokes their refresh tokens. What only one kind knows lives on that kind's own page.
/// </summary>
[Authorize]
[EnableRateLimiting(RateLimitingRegistration.SignInPolicy)]
public sealed class IndexModel(
    SecondFactorMethods methods,
    FreshCodeCheck freshCode,
    SecondFactorSignIn secondFactor,
    SecondFactorPolicy policy,
    UserSessionsEnder sessions,
    UserManager<IdpUser> users,
    AuditLog audit,
    IOptionsMonitor<OtpOptions> options,
    TimeProvider time) : PageModel
{
    public IReadOnlyList<SecondFactorCredential> Devices { get; private set; } = [];

    public IReadOnlyList<SecondFactorDescriptor> Kinds => [.. methods.All.Select(m => m.Descriptor)];

    public string? Message { get; private set; }

    public string? ErrorMessage { get; private set; }

    public int NameMaxLength => options.CurrentValue.DeviceNameMaxLength;

    public bool CanAdd => options.CurrentValue.SelfRegistration && Devices.Count < options.CurrentValue.MaxDevices;

    /// <summary>With any device registered, adding another needs a fresh code (NIST SP 800-63B §6.1.2.1).</summary>
    public bool AddNeedsCode => Devices.Count > 0;

    public bool CanRemove => options.CurrentValue.UserCanRemoveKey;

    public string LabelOf(SecondFactorCredential credential) => Kinds.FirstOrDefault(k => k.Kind == credential.Kind)?.Label ?? credential.Kind;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(string? code, CancellationToken cancellationToken)
    {
        var (session, _) = await CurrentAsync();
        await LoadAsync(session.UserId, cancellationToken);
        if (!CanAdd)
        {
            return await ShowAsync(cancellationToken, error: options.CurrentValue.SelfRegistration ? $"You already have {options.CurrentValue.MaxDevices} devices, the most allowed." : "Registering devices yourself is turned off; ask an administrator.");
        }

        if (await freshCode.NeededToAddAsync(session.UserId, cancellationToken)
            && SecondFactorAccount.Refusal(await freshCode.ForAddingAsync(session, code, cancellationToken), "no device was added") is { } refused)
        {
            return await ShowAsync(cancellationToken, error: refused);
        }

        return LocalRedirect(await secondFactor.BeginAddDeviceAsync(HttpContext, session, cancellationToken));
    }

    public async Task<IActionResult> OnPostRenameAsync(string? deviceId, string? name, CancellationToken cancellationToken)
    {
        var (session, _) = await CurrentAsync();
        if (await methods.OwnerAsync(session.UserId, deviceId, cancellationToken) is not { } owner)
        {
            return await ShowAsync(cancellationToken, error: "That device does not exist.");
        }

        var before = (await owner.CredentialsAsync(session.UserId, cancellationToken)).Single(c => c.Id == deviceId).Name;
        if (await owner.RenameAsync(session.UserId, deviceId!, name, cancellationToken) is { } problem)
        {
            return await ShowAsync(cancellationToken, error: problem);
        }

        await audit.WriteAsync(AuditEventTypes.DeviceRenamed, $"user:{session.UserId}", session.UserId, details: $"device {deviceId} \"{before}\" -> \"{name!.Trim()}\"", cancellationToken: cancellationToken);
        return await ShowAsync(cancellationToken, message: $"Renamed to {name.Trim()}.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? deviceId, string? code, CancellationToken cancellationToken)
    {
        var (session, user) = await CurrentAsync();
        if (!options.CurrentValue.UserCanRemoveKey)
        {
            return await ShowAsync(cancellationToken, error: "Removing devices yourself is turned off; ask an administrator.");
        }

        // What can be refused without the code is refused first: no attempt is spent on it.
        var owner = await methods.OwnerAsync(session.UserId, deviceId, cancellationToken);
        var mayRemove = await RemovalRuleAsync(user, owner, cancellationToken);
        var credentials = owner is null ? [] : await owner.CredentialsAsync(session.UserId, cancellationToken);
        if (owner is null || !mayRemove([.. credentials.Where(c => c.Id != deviceId)]))
        {
            return await ShowAsync(cancellationToken, error: owner is null ? "That device does not exist." : LastDevice);
        }

        // Removal needs the second factor itself, not just a session (a stolen session cannot strip the account).
        if (SecondFactorAccount.Refusal(await freshCode.ForChangingAsync(session, deviceId, code, "removal", cancellationToken), "the device was not removed") is { } refused)
        {
            return await ShowAsync(cancellationToken, error: refused);
        }

        var removal = await owner.RemoveAsync(session.UserId, deviceId!, mayRemove, cancellationToken);
        switch (removal.Outcome)
        {
            case CredentialRemovalOutcome.Removed:
                await audit.WriteAsync(AuditEventTypes.DeviceRemoved, $"user:{session.UserId}", session.UserId, details: $"device {deviceId} \"{removal.Name}\" removed by its owner", cancellationToken: cancellationToken);
                var (ended, revoked) = await sessions.EndAsync(session.UserId, session.SessionId, cancellationToken);
                await audit.WriteAsync(AuditEventTypes.SessionsEnded, $"user:{session.UserId}", session.UserId, details: $"{ended} other session(s) ended, {revoked} grant(s) revoked: a device was removed by its owner", cancellationToken: cancellationToken);
                return await ShowAsync(cancellationToken, message: $"Removed {removal.Name}. Your other sessions were ended.");
            case CredentialRemovalOutcome.Refused:
                return await ShowAsync(cancellationToken, error: LastDevice);
            case CredentialRemovalOutcome.Managed:
                return await ShowAsync(cancellationToken, error: "This is a hardware token your organisation gave you: ask an administrator to take it back.");
            case CredentialRemovalOutcome.NotFound:
                return await ShowAsync(cancellationToken, error: "That device does not exist.");
            default:
                return await ShowAsync(cancellationToken, error: "Your devices changed meanwhile. Try again.");
        }
    }

    private const string LastDevice = "This is your last device and a second factor is required for you: register another one first, or ask an administrator.";

    /// <summary>
    /// Where a second factor is always required for the user, a removal must leave a usable credential of some kind:
    /// one of the owner's kind that remains, or one of another kind.
    /// </summary>
    private async Task<Func<IReadOnlyList<SecondFactorCredential>, bool>> RemovalRuleAsync(IdpUser user, ISecondFactorMethod? owner, CancellationToken cancellationToken)
    {
        if (!await policy.AlwaysRequiredAsync(user))
        {
            return _ => true;
        }

        var now = time.GetUtcNow();
        var otherKinds = (await methods.CredentialsAsync(user.Id, cancellationToken)).Count(c => c.Kind != owner?.Descriptor.Kind && c.IsUsable(now));
        return remaining => otherKinds > 0 || remaining.Any(c => c.IsUsable(time.GetUtcNow()));
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken, string? message = null, string? error = null)
    {
        var (session, _) = await CurrentAsync();
        await LoadAsync(session.UserId, cancellationToken);
        Message = message;
        ErrorMessage = error;
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    private async Task LoadAsync(string userId, CancellationToken cancellationToken) => Devices = await methods.CredentialsAsync(userId, cancellationToken);

    private async Task<(SessionInfo Session, IdpUser User)> CurrentAsync()
    {
        var session = SessionInfo.From(User) ?? throw new InvalidOperationException("a signed-in page without a session");
        var user = await users.FindByIdAsync(session.UserId) ?? throw new InvalidOperationException("the signed-in user no longer exists");
        return (session, user);
    }
}
