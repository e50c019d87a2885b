using Idp.Oidc;
using Idp.Oidc.Authorize;
using Idp.Oidc.Protocol;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Idp.Pages.Connect;

/// <summary>
/// The authorization endpoint's HTTP side (GET and POST, OIDC Core §3.1.2.1) and its resumption after sign-in or
/// consent. The protocol lives in <see cref="AuthorizeHandler"/>; this page only renders its outcome.
/// Relying parties post here cross-site, so there is no antiforgery token to check: the request itself is validated.
/// </summary>
[IgnoreAntiforgeryToken]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Hosting.RateLimitingRegistration.AuthorizePolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class AuthorizeModel(AuthorizeHandler handler) : PageModel
{
    public OidcError? Error { get; private set; }

    public AuthorizeOutcome.FormPost? FormPost { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
        => Render(await handler.AuthorizeAsync(ProtocolParameters.From(Request.Query, AuthorizeRequestValidator.Limits), User, cancellationToken));

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Request.HasFormContentType)
        {
            return Render(new AuthorizeOutcome.ShowError(OidcErrors.WrongContentType()));
        }

        return Render(await handler.AuthorizeAsync(ProtocolParameters.From(Request.Form, AuthorizeRequestValidator.Limits), User, cancellationToken));
    }

    public async Task<IActionResult> OnGetResumeAsync(string? id, CancellationToken cancellationToken)
        => Render(await handler.ResumeAsync(id, User, cancellationToken));

    private IActionResult Render(AuthorizeOutcome outcome)
    {
        switch (outcome)
        {
            case AuthorizeOutcome.Redirect redirect:
                return Redirect(redirect.Location);
            case AuthorizeOutcome.FormPost post:
                FormPost = post;
                return Page();
            case AuthorizeOutcome.ShowError show:
                Error = show.Error;
                Response.StatusCode = show.Error.Status >= 500 ? show.Error.Status : StatusCodes.Status400BadRequest;
                return Page();
            default:
                throw new InvalidOperationException($"unexpected outcome {outcome.GetType().Name}");
        }
    }
}
