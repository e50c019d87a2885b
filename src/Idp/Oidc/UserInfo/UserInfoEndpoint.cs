using Idp.Oidc.Protocol;
using Idp.Oidc.Token;
using Idp.Oidc.Tokens;

namespace Idp.Oidc.UserInfo;

/// <summary>
/// OIDC Core §5.3 UserInfo, GET or POST, with a Bearer access token in the Authorization header or (POST) in the
/// form body (RFC 6750 §2.1, §2.2). Errors per RFC 6750 §3.1 in WWW-Authenticate.
/// </summary>
internal static class UserInfoEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, AccessTokenValidator validator, CancellationToken cancellationToken)
    {
        var token = await ReadTokenAsync(context.Request, cancellationToken);
        if (token.Error is not null)
        {
            return Challenge(context, token.Error);
        }

        if (token.Value is null)
        {
            // RFC 6750 §3.1: no credentials at all gets a bare challenge, without an error code.
            OidcHttpResults.NoStore(context);
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"idp\"";
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var (validation, user) = await validator.ValidateWithUserAsync(token.Value, cancellationToken);
        if (!validation.IsValid)
        {
            return Challenge(context, OidcErrors.InvalidToken(validation.Error!));
        }

        if (!validation.Scopes.Contains(Scopes.OpenId))
        {
            return Challenge(context, OidcErrors.InsufficientScope("The access token lacks the openid scope."));
        }

        if (user is null)
        {
            return Challenge(context, OidcErrors.InvalidToken("The user no longer exists."));
        }

        // OIDC Core §5.3.2: sub always, equal to the ID token's; the rest by scope.
        var claims = new Dictionary<string, object> { ["sub"] = user.SubjectId };
        foreach (var (name, value) in UserClaims.For(user, validation.Scopes.ToList()))
        {
            claims[name] = value;
        }

        return OidcHttpResults.Json(context, claims);
    }

    private static async Task<(string? Value, OidcError? Error)> ReadTokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        string? fromForm = null;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            fromForm = form["access_token"].Count == 1 ? form["access_token"].ToString() : null;
            if (form["access_token"].Count > 1)
            {
                return (null, OidcErrors.TokenRequestInvalid("access_token appears more than once.") with { Status = 400 });
            }
        }

        if (header.Length > 0)
        {
            if (fromForm is not null)
            {
                // RFC 6750 §2: clients MUST NOT use more than one method to transmit the token.
                return (null, OidcErrors.TokenRequestInvalid("Send the access token one way only.") with { Status = 400 });
            }

            return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? (header["Bearer ".Length..].Trim(), null)
                : (null, OidcErrors.InvalidToken("Use the Bearer scheme."));
        }

        return (fromForm, null);
    }

    private static IResult Challenge(HttpContext context, OidcError error)
    {
        var challenge = $"Bearer realm=\"idp\", error=\"{error.Code}\", error_description=\"{error.Description.Replace("\"", "'", StringComparison.Ordinal)}\"";
        return OidcHttpResults.Error(context, error, challenge);
    }
}
