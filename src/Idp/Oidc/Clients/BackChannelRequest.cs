using Idp.Oidc.Protocol;

namespace Idp.Oidc.Clients;

/// <summary>
/// A back-channel request as read off the wire, before any rule: the form (null when the body is not a
/// form-encoded POST) and the client's authentication from the Authorization header or the form (RFC 6749 §2.3).
/// </summary>
internal sealed record BackChannelRequest(ProtocolParameters? Form, ClientAuthentication Authentication, string? ClaimedClientId)
{
    public static BackChannelRequest Read(HttpRequest request, ProtocolParameters? form, ClientAuthenticator authenticator)
        => form is null
            ? new(null, new ClientAuthentication(null, OidcErrors.WrongContentType(), false), null)
            : new(form, authenticator.Authenticate(request, form), ClientAuthenticator.ClaimedClientId(request, form));
}
