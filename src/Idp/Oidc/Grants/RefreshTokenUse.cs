using Idp.Persistence.Entities;

namespace Idp.Oidc.Grants;

/// <summary>
/// What presenting a refresh token did. <see cref="User"/> is set only when the token was consumed, its grant is
/// still active and its user still exists (with the columns claims and the lockout rule need).
/// </summary>
public sealed record RefreshTokenUse(ConsumeStatus Status, RefreshTokenRecord? Record, IdpUser? User);
