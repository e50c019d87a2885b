using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Token;

/// <summary>One grant type of the token endpoint, for a client already authenticated and allowed that grant.</summary>
internal interface ITokenGrant
{
    string GrantType { get; }

    Task<ProtocolResult> HandleAsync(ClientOptions client, ProtocolParameters form, CancellationToken cancellationToken);
}
