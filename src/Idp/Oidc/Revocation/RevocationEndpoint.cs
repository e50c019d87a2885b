using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Revocation;

/// <summary>The HTTP adapter of RFC 7009 revocation: reads the form and the client's credentials, writes the answer.</summary>
internal static class RevocationEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, ClientAuthenticator authenticator, RevocationHandler handler, CancellationToken cancellationToken)
    {
        var read = BackChannelRequest.Read(context.Request, await OidcHttpResults.ReadFormAsync(context.Request, cancellationToken), authenticator);
        var (request, error) = RevocationRequestValidator.Validate(read);
        if (error is not null)
        {
            return OidcHttpResults.Write(context, ProtocolResult.Fail(error, OidcHttpResults.ClientChallenge(error, read.Authentication.UsedBasic)));
        }

        await handler.HandleAsync(request!, cancellationToken);
        return OidcHttpResults.Write(context, ProtocolResult.Empty);
    }
}
