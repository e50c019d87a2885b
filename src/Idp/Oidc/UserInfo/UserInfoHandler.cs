using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;

namespace Idp.Oidc.UserInfo;

/// <summary>OIDC Core §5.3: the claims of the user the access token was issued for, by the scopes it carries.</summary>
internal sealed class UserInfoHandler(AccessTokenValidator validator)
{
    public async Task<ProtocolResult> HandleAsync(ValidatedUserInfoRequest request, CancellationToken cancellationToken)
    {
        var (validation, user) = await validator.ValidateWithUserAsync(request.AccessToken, cancellationToken);
        if (!validation.IsValid)
        {
            return ProtocolResult.Fail(OidcErrors.InvalidToken(validation.Error!));
        }

        if (!validation.Scopes.Contains(Scopes.OpenId))
        {
            return ProtocolResult.Fail(OidcErrors.InsufficientScope("The access token lacks the openid scope."));
        }

        if (user is null)
        {
            return ProtocolResult.Fail(OidcErrors.InvalidToken("The user no longer exists."));
        }

        // OIDC Core §5.3.2: sub always, equal to the ID token's; the rest by scope.
        var claims = new Dictionary<string, object> { ["sub"] = user.SubjectId };
        foreach (var (name, value) in UserClaims.For(user, validation.Scopes.ToList()))
        {
            claims[name] = value;
        }

        return ProtocolResult.Ok(claims);
    }
}
