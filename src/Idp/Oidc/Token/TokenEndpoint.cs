using Idp.Audit;
using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Token;

/// <summary>
/// The HTTP adapter of the RFC 6749 §3.2 token endpoint: reads the form and the client's credentials (the
/// Authorization header or the form, §2.3), writes the answer, never cached. Every refusal is logged and counted
/// under the client the request names, authenticated or not.
/// </summary>
internal static class TokenEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ClientAuthenticator authenticator, TokenRequestValidator validator, TokenRequestHandler handler, ProtocolErrorTally refusals, ILogger<TokenRequestHandler> logger, CancellationToken cancellationToken)
    {
        var read = BackChannelRequest.Read(context.Request, await OidcHttpResults.ReadFormAsync(context.Request, cancellationToken), authenticator);
        var (request, error) = validator.Validate(read);
        var result = error is null ? await handler.HandleAsync(request!, cancellationToken) : ProtocolResult.Fail(error);
        if (result.Error is { } refused)
        {
            logger.LogInformation("Token request refused: {Error} {Description} {Detail}", refused.Code, refused.Description, refused.InternalDetail);
            if (read.Form is not null)
            {
                refusals.Count(read.ClaimedClientId, $"token {refused.Code}");
            }

            return OidcHttpResults.Write(context, result with { Challenge = OidcHttpResults.ClientChallenge(refused, read.Authentication.UsedBasic) });
        }

        return OidcHttpResults.Write(context, result);
    }
}
