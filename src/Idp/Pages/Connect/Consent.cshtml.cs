using Idp.Oidc.Authorize;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Idp.Pages.Connect;

/// <summary>The consent page for clients with RequireConsent (or prompt=consent). Allow resumes the request; deny answers access_denied.</summary>
[Authorize]
public sealed class ConsentModel(AuthorizeHandler handler, ConsentStore consents, PendingAuthorizationStore pending, TokenFactory tokens) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    public ValidatedAuthorizeRequest? Pending { get; private set; }

    public AuthorizeOutcome.FormPost? FormPost { get; private set; }

    public static string Describe(string scope) => scope switch
    {
        Scopes.OpenId => "who you are (a stable identifier)",
        Scopes.Profile => "your username",
        Scopes.Email => "your e-mail address",
        Scopes.OfflineAccess => "access while you are signed out",
        _ => $"access to {scope}",
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Pending = await handler.FindPendingAsync(Id, cancellationToken);
        if (Pending is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? decision, CancellationToken cancellationToken)
    {
        Pending = await handler.FindPendingAsync(Id, cancellationToken);
        var session = SessionInfo.From(User);
        if (Pending is null || session is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (decision == "allow")
        {
            await consents.GrantAsync(session.UserId, Pending.Client.ClientId, Pending.Scopes, cancellationToken);
            return Redirect(QueryHelpers.AddQueryString(AuthorizeHandler.ResumePath, "id", Id!));
        }

        await pending.TryCompleteAsync(Id!, cancellationToken);
        var denied = AuthorizeResponseBuilder.Error(Pending.RedirectUri, Pending.ResponseMode, OidcErrors.AccessDenied(), Pending.State, tokens.Issuer);
        if (denied is AuthorizeOutcome.Redirect redirect)
        {
            return Redirect(redirect.Location);
        }

        FormPost = (AuthorizeOutcome.FormPost)denied;
        return Page();
    }
}
