using Idp.Oidc.Tokens;

namespace Idp.Oidc.Grants;

/// <summary>
/// What presenting a refresh token did. <see cref="User"/> is set when the token was consumed, which happens only
/// while its grant is active and its user exists and is not locked by an administrator (the columns claims need).
/// </summary>
internal sealed record RefreshTokenUse(ConsumeStatus Status, IssuedRefreshToken? Issued, TokenUser? User);
