using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Token;

/// <summary>
/// The preamble the back-channel endpoints share (revocation, introspection): a form POST, each parameter once,
/// and an authenticated client; any failure is already the HTTP answer.
/// </summary>
internal static class AuthenticatedFormRequest
{
    public static async Task<(ProtocolParameters Form, ClientOptions Client)?> ReadAsync(HttpContext context, ClientAuthenticator authenticator, bool confidentialOnly, Action<IResult> fail, CancellationToken cancellationToken)
    {
        var form = await OidcHttpResults.ReadFormAsync(context.Request, cancellationToken);
        if (form is null)
        {
            fail(OidcHttpResults.Error(context, OidcErrors.WrongContentType()));
            return null;
        }

        if (form.Duplicate is { } duplicate)
        {
            fail(OidcHttpResults.Error(context, OidcErrors.DuplicateParameter(duplicate, allowRedirect: false)));
            return null;
        }

        var authentication = authenticator.Authenticate(context.Request, form);
        if (!authentication.Succeeded || (confidentialOnly && authentication.Client!.IsPublic))
        {
            // RFC 7662 §2.1 and RFC 7009 §2.1: the client authenticates as at the token endpoint.
            var challenge = authentication.UsedBasic || confidentialOnly ? ClientAuthenticator.BasicChallenge : null;
            fail(OidcHttpResults.Error(context, authentication.Error ?? OidcErrors.InvalidClient(), challenge));
            return null;
        }

        if (form["token"] is null)
        {
            fail(OidcHttpResults.Error(context, OidcErrors.TokenRequestParameter("token")));
            return null;
        }

        return (form, authentication.Client!);
    }
}
