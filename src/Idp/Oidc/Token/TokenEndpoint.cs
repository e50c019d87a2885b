using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Token;

/// <summary>RFC 6749 §3.2 token endpoint: POST, form-encoded, answers never cached.</summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, TokenRequestHandler handler, ClientAuthenticator authenticator, CancellationToken cancellationToken)
    {
        var form = await OidcHttpResults.ReadFormAsync(context.Request, cancellationToken);
        if (form is null)
        {
            return OidcHttpResults.Error(context, OidcErrors.WrongContentType());
        }

        // The client authenticates from the request (RFC 6749 §2.3: the Authorization header or the form); the
        // handler takes it from here, without the request.
        var authentication = authenticator.Authenticate(context.Request, form);
        var result = await handler.HandleAsync(authentication, ClientAuthenticator.ClaimedClientId(context.Request, form), form, cancellationToken);
        if (result.Error is { } error)
        {
            // RFC 6749 §5.2: a 401 for a client that authenticated with the Authorization header carries WWW-Authenticate.
            var challenge = error.Status == StatusCodes.Status401Unauthorized && result.ClientUsedBasic ? ClientAuthenticator.BasicChallenge : null;
            return OidcHttpResults.Error(context, error, challenge);
        }

        return OidcHttpResults.Json(context, result.Success!);
    }
}
