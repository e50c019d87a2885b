using Idp.Oidc.Clients;

namespace Idp.Oidc.EndSession;

/// <summary>
/// An end-session request that passed <see cref="EndSessionRequestValidator"/>: the client it names (if any), the
/// subject of its id_token_hint (if any), a registered post_logout_redirect_uri (if any) and the state to echo.
/// </summary>
public sealed record ValidatedEndSessionRequest(ClientOptions? Client, string? HintedSubject, string? PostLogoutRedirectUri, string? State);
