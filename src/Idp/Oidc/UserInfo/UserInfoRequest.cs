namespace Idp.Oidc.UserInfo;

/// <summary>
/// A userinfo request as read off the wire: the Authorization header and the form's access_token values (POST only,
/// RFC 6750 §2.2). No rule has been applied yet.
/// </summary>
internal sealed record UserInfoRequest(string AuthorizationHeader, IReadOnlyList<string> FormTokens);
