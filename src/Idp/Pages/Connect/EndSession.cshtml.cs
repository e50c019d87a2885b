using Idp.Oidc.Audit;
using Idp.Oidc.Authorize;
using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Idp.Pages.Connect;

/// <summary>
/// OpenID Connect RP-Initiated Logout 1.0. With a valid id_token_hint for the signed-in person the session ends at
/// once; otherwise the person confirms, so a stray link cannot sign anyone out. post_logout_redirect_uri must be
/// registered exactly for the client; state is echoed. The session row is deleted, so every node sees it end.
/// </summary>
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class EndSessionModel(IdTokenHintValidator hints, ClientRegistry clients, SignInManager<IdpUser> signIn, UserManager<IdpUser> users, AuditLog audit) : PageModel
{
    public string? Error { get; private set; }

    public bool SignedOut { get; private set; }

    public string? ClientName { get; private set; }

    public string? ClientId { get; private set; }

    public string? PostLogoutRedirectUri { get; private set; }

    public string? State { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => HandleAsync(ProtocolParameters.From(Request.Query), cancellationToken);

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
        => Request.HasFormContentType ? HandleAsync(ProtocolParameters.From(Request.Form), cancellationToken) : Task.FromResult(Fail("The request must be a form post."));

    /// <summary>The confirmation form, which does carry an antiforgery token.</summary>
    public async Task<IActionResult> OnPostConfirmAsync([FromServices] Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return BadRequest();
        }

        var p = ProtocolParameters.From(Request.Form);
        var client = clients.Find(p["client_id"]);
        var (redirect, problem) = CheckRedirect(client, p["post_logout_redirect_uri"]);
        if (problem is not null)
        {
            return Fail(problem);
        }

        return await SignOutAsync(client, redirect, p["state"], cancellationToken);
    }

    private async Task<IActionResult> HandleAsync(ProtocolParameters p, CancellationToken cancellationToken)
    {
        if (p.Duplicate is { } duplicate)
        {
            return Fail($"The parameter {duplicate} appears more than once.");
        }

        ClientOptions? client = null;
        string? hintedSubject = null;
        if (p["id_token_hint"] is { } hint)
        {
            var token = await hints.ValidateAsync(hint, cancellationToken);
            if (token is null)
            {
                return Fail("id_token_hint is not an ID token Idp issued.");
            }

            client = clients.Find(token.Audiences.FirstOrDefault());
            hintedSubject = token.Subject;
            // RP-Initiated Logout §2: when both are present, client_id must match the hint's audience.
            if (p["client_id"] is { } clientId && !token.Audiences.Contains(clientId, StringComparer.Ordinal))
            {
                return Fail("client_id does not match id_token_hint.");
            }
        }
        else if (p["client_id"] is { } clientId)
        {
            client = clients.Find(clientId);
            if (client is null)
            {
                return Fail("client_id is not a registered client.");
            }
        }

        var (redirect, problem) = CheckRedirect(client, p["post_logout_redirect_uri"]);
        if (problem is not null)
        {
            return Fail(problem);
        }

        var session = SessionInfo.From(User);
        var sessionSubject = session is null ? null : (await users.FindByIdAsync(session.UserId))?.SubjectId;
        if (hintedSubject is not null && (session is null || sessionSubject == hintedSubject))
        {
            return await SignOutAsync(client, redirect, p["state"], cancellationToken);
        }

        if (session is null)
        {
            return Finish(redirect, p["state"]);
        }

        // No hint, or a hint for someone else: ask.
        ClientId = client?.ClientId;
        ClientName = client?.DisplayName ?? client?.ClientId;
        PostLogoutRedirectUri = redirect;
        State = p["state"];
        return Page();
    }

    private static (string? Redirect, string? Problem) CheckRedirect(ClientOptions? client, string? uri)
    {
        if (uri is null)
        {
            return (null, null);
        }

        if (client is null)
        {
            return (null, "post_logout_redirect_uri needs id_token_hint or client_id to say which application it belongs to.");
        }

        return client.PostLogoutRedirectUris.Contains(uri, StringComparer.Ordinal) ? (uri, null) : (null, "post_logout_redirect_uri is not registered for this application.");
    }

    private async Task<IActionResult> SignOutAsync(ClientOptions? client, string? redirect, string? state, CancellationToken cancellationToken)
    {
        if (SessionInfo.From(User) is { } session)
        {
            await signIn.SignOutAsync();
            await audit.WriteAsync(AuditEventTypes.Logout, $"user:{session.UserId}", session.UserId, client?.ClientId, "RP-initiated logout", cancellationToken);
        }

        return Finish(redirect, state);
    }

    private IActionResult Finish(string? redirect, string? state)
    {
        if (redirect is not null)
        {
            return Redirect(state is null ? redirect : QueryHelpers.AddQueryString(redirect, "state", state));
        }

        SignedOut = true;
        return Page();
    }

    private IActionResult Fail(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
