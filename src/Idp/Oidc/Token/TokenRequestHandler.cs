using Idp.Oidc.Protocol;

namespace Idp.Oidc.Token;

/// <summary>
/// Hands a validated token request to its grant: authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6), refresh_token
/// (§6, rotated on every use) or client_credentials (§4.4). It never sees the HTTP request.
/// </summary>
internal sealed class TokenRequestHandler
{
    public Task<ProtocolResult> HandleAsync(ValidatedTokenRequest request, CancellationToken cancellationToken)
        => request.Grant.HandleAsync(request.Client, request.Form, cancellationToken);
}
