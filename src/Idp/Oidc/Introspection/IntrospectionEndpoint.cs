using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Introspection;

/// <summary>The HTTP adapter of RFC 7662 introspection: reads the form and the client's credentials, writes the answer.</summary>
internal static class IntrospectionEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ClientAuthenticator authenticator, IntrospectionHandler handler, CancellationToken cancellationToken)
    {
        var read = BackChannelRequest.Read(context.Request, await OidcHttpResults.ReadFormAsync(context.Request, cancellationToken), authenticator);
        var (request, error) = IntrospectionRequestValidator.Validate(read);
        if (error is not null)
        {
            // §2.1 requires authentication of every caller, so a failed one is always challenged.
            return OidcHttpResults.Write(context, ProtocolResult.Fail(error, OidcHttpResults.ClientChallenge(error, usedBasic: true)));
        }

        return OidcHttpResults.Write(context, await handler.HandleAsync(request!, cancellationToken));
    }
}
