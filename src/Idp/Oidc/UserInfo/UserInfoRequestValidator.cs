using Idp.Oidc.Protocol;

namespace Idp.Oidc.UserInfo;

/// <summary>How a bearer token may arrive (RFC 6750 §2); whether it is good is the handler's question.</summary>
internal static class UserInfoRequestValidator
{
    private const string Bearer = "Bearer ";

    public static readonly IReadOnlyList<RequestCheck<UserInfoRequest>> Checks = [FormTokenOnce, OneMethodOnly, BearerScheme];

    /// <summary>RFC 6749 §3.1 (which RFC 6750 §2.2 inherits): the access_token parameter at most once.</summary>
    public static OidcError? FormTokenOnce(UserInfoRequest request)
        => request.FormTokens.Count > 1 ? OidcErrors.TokenRequestInvalid("access_token appears more than once.") : null;

    /// <summary>RFC 6750 §2: clients MUST NOT use more than one method to transmit the token.</summary>
    public static OidcError? OneMethodOnly(UserInfoRequest request)
        => request.AuthorizationHeader.Length > 0 && request.FormTokens.Count > 0 ? OidcErrors.TokenRequestInvalid("Send the access token one way only.") : null;

    /// <summary>RFC 6750 §2.1: the Authorization header uses the Bearer scheme.</summary>
    public static OidcError? BearerScheme(UserInfoRequest request)
        => request.AuthorizationHeader.Length > 0 && !request.AuthorizationHeader.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? OidcErrors.InvalidToken("Use the Bearer scheme.")
            : null;

    public static (ValidatedUserInfoRequest? Request, OidcError? Error) Validate(UserInfoRequest request)
    {
        if (RequestChecks.FirstFailure(request, Checks) is { } error)
        {
            return (null, error);
        }

        var token = request.AuthorizationHeader.Length > 0
            ? request.AuthorizationHeader[Bearer.Length..].Trim()
            : request.FormTokens.FirstOrDefault();
        return (new ValidatedUserInfoRequest(string.IsNullOrEmpty(token) ? null : token), null);
    }
}
