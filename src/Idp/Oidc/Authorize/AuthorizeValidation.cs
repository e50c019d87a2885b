using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Authorize;

/// <summary>
/// The result of validating an authorization request: the request, or an error with what is known of where to
/// send it (a client and redirect URI only once phase 1 passed).
/// </summary>
public sealed record AuthorizeValidation(ValidatedAuthorizeRequest? Request, OidcError? Error, ClientOptions? Client = null, string? RedirectUri = null, string? State = null, string? ResponseMode = null)
{
    public static AuthorizeValidation Valid(ValidatedAuthorizeRequest request) => new(request, null, request.Client, request.RedirectUri, request.State, request.ResponseMode);
}
