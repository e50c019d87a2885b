using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Token;

/// <summary>
/// A token request that passed <see cref="TokenRequestValidator"/>: an authenticated client allowed the grant type,
/// the grant that handles it, and the parameters that grant still has to check.
/// </summary>
internal sealed record ValidatedTokenRequest(ClientOptions Client, ITokenGrant Grant, ProtocolParameters Form);
