using Idp.Oidc.Authorize;
using Idp.Oidc.EndSession;
using Idp.Oidc.Protocol;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Idp.Pages.Connect;

/// <summary>
/// The end-session page (OpenID Connect RP-Initiated Logout 1.0): it reads the request, lets
/// <see cref="EndSessionRequestValidator"/> and <see cref="EndSessionHandler"/> decide, and renders.
/// </summary>
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class EndSessionModel(EndSessionRequestValidator validator, EndSessionHandler handler) : PageModel
{
    public OidcError? Error { get; private set; }

    public bool SignedOut { get; private set; }

    public ValidatedEndSessionRequest? Pending { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => HandleAsync(ProtocolParameters.From(Request.Query), cancellationToken);

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
        => Request.HasFormContentType ? HandleAsync(ProtocolParameters.From(Request.Form), cancellationToken) : Task.FromResult(Fail(OidcErrors.WrongContentType()));

    /// <summary>The confirmation form, which does carry an antiforgery token; it signs out whoever is signed in.</summary>
    public async Task<IActionResult> OnPostConfirmAsync([FromServices] IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return BadRequest();
        }

        var (request, error) = await validator.ValidateAsync(ProtocolParameters.From(Request.Form), cancellationToken);
        if (error is not null)
        {
            return Fail(error);
        }

        await handler.SignOutAsync(request!, SessionInfo.From(User), cancellationToken);
        return Finish(request!);
    }

    private async Task<IActionResult> HandleAsync(ProtocolParameters p, CancellationToken cancellationToken)
    {
        var (request, error) = await validator.ValidateAsync(p, cancellationToken);
        if (error is not null)
        {
            return Fail(error);
        }

        var session = SessionInfo.From(User);
        switch (await handler.DecideAsync(request!, session))
        {
            case EndSessionDecision.SignOut:
                await handler.SignOutAsync(request!, session, cancellationToken);
                return Finish(request!);
            case EndSessionDecision.AskFirst:
                Pending = request;
                return Page();
            default:
                return Finish(request!);
        }
    }

    private IActionResult Finish(ValidatedEndSessionRequest request)
    {
        if (EndSessionHandler.ReturnAddress(request) is { } address)
        {
            return Redirect(address);
        }

        SignedOut = true;
        return Page();
    }

    private IActionResult Fail(OidcError error)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
