using Idp.Accounts;
using Idp.Hosting;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Setup;

/// <summary>
/// Creates the first administrator from the one-time link printed at start-up. A forged link answers 404, an expired
/// or used one 410. The token is consumed in the same transaction that creates the account, so a refused password
/// leaves the link usable.
/// </summary>
[EnableRateLimiting(RateLimitingRegistration.SignInPolicy)]
public sealed class IndexModel(SetupTokenService setup, UserManager<IdpUser> users, IdpDbContext db, IOptions<IdpOptions> options, ILogger<IndexModel> logger) : PageModel
{
    public const int UserNameMaxLength = 64;

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public SetupTokenState State { get; private set; }

    public List<string> Errors { get; } = [];

    public int PasswordMinLength => options.Value.Password.MinLength;

    public int PasswordMaxLength => options.Value.Password.MaxLength;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        State = await setup.CheckAsync(Token, cancellationToken);
        return Render();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        State = await setup.CheckAsync(Token, cancellationToken);
        if (State != SetupTokenState.Valid)
        {
            return Render();
        }

        await ValidateInputAsync();
        if (Errors.Count > 0)
        {
            return Page();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await setup.TryConsumeAsync(Token!, cancellationToken))
        {
            State = SetupTokenState.Gone;
            return Render();
        }

        var created = await setup.CreateFirstAdministratorAsync(UserName!, Password!, cancellationToken);
        if (!created.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            Errors.AddRange(created.Errors.Select(e => e.Description));
            return Page();
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(EventIds.AdministratorCreated, "First administrator created through the setup link");
        return Redirect($"{Accounts.AccountRoutes.Login}?notice=admin-created");
    }

    private IActionResult Render()
    {
        if (State != SetupTokenState.Valid)
        {
            logger.LogInformation(EventIds.SetupLinkRefused, "Setup link refused: {State}", State);
            Response.StatusCode = State == SetupTokenState.Unknown ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone;
        }

        return Page();
    }

    private async Task ValidateInputAsync()
    {
        var name = UserName?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            Errors.Add("Choose a username.");
        }
        else if (name.Length > UserNameMaxLength)
        {
            Errors.Add($"The username must be at most {UserNameMaxLength} characters.");
        }
        else if (name.Any(c => !users.Options.User.AllowedUserNameCharacters.Contains(c)))
        {
            Errors.Add("The username may contain only letters, digits and - . _ @ +");
        }

        if (string.IsNullOrEmpty(Password))
        {
            Errors.Add("Choose a password.");
            return;
        }

        if (Password != ConfirmPassword)
        {
            Errors.Add("The two passwords are not the same.");
        }

        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, new IdpUser { UserName = name }, Password);
            Errors.AddRange(result.Errors.Select(e => e.Description));
        }
    }
}
