using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.EndSession;

/// <summary>
/// What an end-session check sees: the parameters, the audiences of a valid id_token_hint (null without one), and
/// the client the request names through the hint or client_id (null when it names none, or an unknown one).
/// </summary>
public sealed record EndSessionCheckInput(ProtocolParameters Parameters, IReadOnlyList<string>? HintAudiences, ClientOptions? Client);
