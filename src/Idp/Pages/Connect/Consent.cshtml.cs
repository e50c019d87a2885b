using Idp.Oidc.Authorize;
using Idp.Oidc.Consent;
using Idp.Oidc.Protocol;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Idp.Pages.Connect;

/// <summary>
/// The consent page for clients with RequireConsent (or prompt=consent): it shows the pending request and passes the
/// answer to <see cref="ConsentDecisionValidator"/> and <see cref="ConsentHandler"/>.
/// </summary>
[Authorize]
public sealed class ConsentModel(AuthorizeHandler authorize, ConsentDecisionValidator validator, ConsentHandler handler) : PageModel
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
        Pending = await authorize.FindPendingAsync(Id, cancellationToken);
        if (Pending is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? decision, CancellationToken cancellationToken)
    {
        var (validated, error) = await validator.ValidateAsync(Id, decision, SessionInfo.From(User), cancellationToken);
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        switch (await handler.HandleAsync(validated!, cancellationToken))
        {
            case AuthorizeOutcome.Redirect redirect:
                return Redirect(redirect.Location);
            case AuthorizeOutcome.FormPost post:
                FormPost = post;
                return Page();
            default:
                throw new InvalidOperationException("A consent answer leads to a redirect or a form post.");
        }
    }
}
