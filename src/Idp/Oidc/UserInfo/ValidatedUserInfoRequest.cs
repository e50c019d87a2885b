namespace Idp.Oidc.UserInfo;

/// <summary>A userinfo request that passed <see cref="UserInfoRequestValidator"/>: the bearer token, null when none was sent.</summary>
internal sealed record ValidatedUserInfoRequest(string? AccessToken);
