using System.Security.Claims;
using Idp.Audit;
using Idp.Oidc.Consent;
using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Idp.Oidc.Authorize;

/// <summary>
/// Phase 3 of authorize: decides what the person must still do (sign in, consent), keeps the request server-side
/// while they do it, validates it again when it resumes, and issues the code.
/// </summary>
public sealed class AuthorizeHandler(
    AuthorizeRequestValidator validator,
    PendingAuthorizations pending,
    IConsentStore consents,
    IGrantStore grants,
    UserManager<IdpUser> users,
    TokenFactory tokens,
    AuditLog audit,
    ProtocolErrorTally refusals,
    IOptions<Hosting.IdpOptions> options,
    TimeProvider time,
    ILogger<AuthorizeHandler> logger)
{
    public const string ResumePath = "/connect/authorize/resume";
    public const string ConsentPath = "/connect/consent";

    // Sign-in times are whole seconds; a request created in the same second as the sign-in still counts as before it.
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    public Task<AuthorizeOutcome> AuthorizeAsync(ProtocolParameters parameters, ClaimsPrincipal user, CancellationToken cancellationToken)
        => HandleAsync(parameters, user, null, null, cancellationToken);

    public async Task<AuthorizeOutcome> ResumeAsync(string? pendingId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var found = await pending.FindAsync(pendingId, cancellationToken);
        return found is null
            ? new AuthorizeOutcome.ShowError(OidcErrors.InteractionExpired())
            : await HandleAsync(found.Value.Parameters, user, pendingId, found.Value.CreatedAt, cancellationToken);
    }

    /// <summary>The request behind a pending id, validated again (the consent page shows it).</summary>
    public async Task<ValidatedAuthorizeRequest?> FindPendingAsync(string? pendingId, CancellationToken cancellationToken)
    {
        var found = await pending.FindAsync(pendingId, cancellationToken);
        return found is null ? null : (await validator.ValidateAsync(found.Value.Parameters, cancellationToken)).Request;
    }

    private async Task<AuthorizeOutcome> HandleAsync(ProtocolParameters parameters, ClaimsPrincipal user, string? pendingId, DateTime? interactionSince, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(parameters, cancellationToken);
        if (validation.Error is { } error)
        {
            RecordError(error, validation.Client?.ClientId);
            return error.AllowRedirect && validation.RedirectUri is not null
                ? AuthorizeResponseBuilder.Error(validation.RedirectUri, validation.ResponseMode!, error, validation.State, tokens.Issuer)
                : new AuthorizeOutcome.ShowError(error);
        }

        var request = validation.Request!;
        var session = SessionInfo.From(user);
        var account = session is null ? null : await users.FindByIdAsync(session.UserId);
        // A brute-force lock leaves the person's session working (UserLockout); an administrator's lock does not.
        if (account is not null && Accounts.UserLockout.IsLockedByAdministrator(account))
        {
            account = null;
        }

        var need = await DecideAsync(request, session, account, interactionSince, cancellationToken);
        if (need != InteractionNeed.None)
        {
            return await InteractAsync(request, need, pendingId, cancellationToken);
        }

        if (pendingId is not null && !await pending.TryCompleteAsync(pendingId, cancellationToken))
        {
            return new AuthorizeOutcome.ShowError(OidcErrors.InteractionCompleted());
        }

        var now = time.GetUtcNow().UtcDateTime;
        var code = await grants.CreateCodeAsync(
            new IssuedCode(
                ClientId: request.Client.ClientId,
                RedirectUri: request.RedirectUri,
                UserId: account!.Id,
                SubjectId: account.SubjectId,
                SessionId: session!.SessionId,
                Scopes: string.Join(' ', request.Scopes),
                CodeChallenge: request.CodeChallenge,
                Nonce: request.Nonce,
                AuthTime: session.AuthTime,
                Acr: options.Value.Acr.For(session.HasSecondFactor),
                Amr: string.Join(' ', session.Amr),
                CreatedAt: now,
                ExpiresAt: now + options.Value.Tokens.AuthorizationCodeLifetime),
            cancellationToken);
        await audit.WriteAsync(AuditEventTypes.CodeIssued, $"user:{account.Id}", account.Id, request.Client.ClientId, $"scope={string.Join(' ', request.Scopes)}", cancellationToken);
        return AuthorizeResponseBuilder.Success(request.RedirectUri, request.ResponseMode, code, request.State, tokens.Issuer);
    }

    private async Task<InteractionNeed> DecideAsync(ValidatedAuthorizeRequest request, SessionInfo? session, IdpUser? account, DateTime? interactionSince, CancellationToken cancellationToken)
    {
        if (session is null || account is null)
        {
            return InteractionNeed.Login;
        }

        var signedInForThisRequest = interactionSince is { } since && session.AuthTime + Tolerance >= since;

        // OIDC Core §3.1.2.1 prompt=login / select_account: authenticate again, once, for this request.
        if ((request.Prompt.Contains("login") || request.Prompt.Contains("select_account")) && !signedInForThisRequest)
        {
            return InteractionNeed.Login;
        }

        // OIDC Core §3.1.2.1 max_age: an older sign-in must be repeated (max_age=0 behaves like prompt=login).
        if (request.MaxAge is { } maxAge && time.GetUtcNow().UtcDateTime - session.AuthTime > TimeSpan.FromSeconds(maxAge) && !signedInForThisRequest)
        {
            return InteractionNeed.Login;
        }

        // OIDC Core §3.1.2.1 id_token_hint: only the person it names may get a positive answer.
        if (request.IdTokenHintSubject is { } hinted && hinted != account.SubjectId)
        {
            return signedInForThisRequest ? InteractionNeed.WrongAccount : InteractionNeed.Login;
        }

        // LemonLDAP::NG-style per-application level, and acr_values step-up (OIDC Core §3.1.2.1 acr_values, as essential).
        if (request.Client.DemandsSecondFactor(request.AcrValues, options.Value.Acr) && !session.HasSecondFactor)
        {
            return InteractionNeed.SecondFactor;
        }

        if (request.Client.RequireConsent || request.Prompt.Contains("consent"))
        {
            var notBefore = request.Prompt.Contains("consent") ? interactionSince ?? DateTime.MaxValue : (DateTime?)null;
            if (!await consents.CoversAsync(account.Id, request.Client.ClientId, request.Scopes, notBefore, cancellationToken))
            {
                return InteractionNeed.Consent;
            }
        }

        return InteractionNeed.None;
    }

    private async Task<AuthorizeOutcome> InteractAsync(ValidatedAuthorizeRequest request, InteractionNeed need, string? pendingId, CancellationToken cancellationToken)
    {
        OidcError? error = need switch
        {
            InteractionNeed.WrongAccount => OidcErrors.LoginRequired().WithDetail("signed in as someone other than id_token_hint names"),
            InteractionNeed.Login when request.PromptNone => OidcErrors.LoginRequired(),
            InteractionNeed.Consent when request.PromptNone => OidcErrors.ConsentRequired(),
            InteractionNeed.SecondFactor when request.PromptNone => OidcErrors.InteractionRequired("This application requires a second factor."),
            _ => null,
        };
        if (error is not null)
        {
            if (pendingId is not null)
            {
                await pending.TryCompleteAsync(pendingId, cancellationToken);
            }

            RecordError(error, request.Client.ClientId);
            return AuthorizeResponseBuilder.Error(request.RedirectUri, request.ResponseMode, error, request.State, tokens.Issuer);
        }

        pendingId ??= await pending.SaveAsync(request.Parameters, cancellationToken);
        if (pendingId is null)
        {
            var tooLarge = OidcErrors.RequestTooLarge();
            RecordError(tooLarge, request.Client.ClientId);
            return AuthorizeResponseBuilder.Error(request.RedirectUri, request.ResponseMode, tooLarge, request.State, tokens.Issuer);
        }

        var resume = QueryHelpers.AddQueryString(ResumePath, "id", pendingId);
        if (need == InteractionNeed.Consent)
        {
            return new AuthorizeOutcome.Redirect(QueryHelpers.AddQueryString(ConsentPath, "id", pendingId));
        }

        if (need == InteractionNeed.SecondFactor)
        {
            return new AuthorizeOutcome.Redirect(QueryHelpers.AddQueryString(Accounts.AccountRoutes.StepUp, "ReturnUrl", resume));
        }

        var login = QueryHelpers.AddQueryString(Accounts.AccountRoutes.Login, "ReturnUrl", resume);
        return new AuthorizeOutcome.Redirect(request.LoginHint is { } hint ? QueryHelpers.AddQueryString(login, "login_hint", hint) : login);
    }

    private void RecordError(OidcError error, string? clientId)
    {
        logger.LogInformation("Authorize refused: {Error} {Description} {Detail}", error.Code, error.Description, error.InternalDetail);
        refusals.Count(clientId, $"authorize {error.Code}");
    }
}
