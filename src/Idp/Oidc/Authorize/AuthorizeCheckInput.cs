using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Authorize;

/// <summary>What a phase-2 authorize check sees: the parameters, and the client phase 1 identified.</summary>
public sealed record AuthorizeCheckInput(ProtocolParameters Parameters, ClientOptions Client);
