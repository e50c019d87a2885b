using Idp.Oidc.Protocol;

namespace Idp.Oidc.UserInfo;

/// <summary>
/// The HTTP adapter of OIDC Core §5.3 UserInfo, GET or POST: reads the bearer token from the Authorization header or
/// (POST) the form (RFC 6750 §2.1, §2.2), and writes errors per RFC 6750 §3.1 in WWW-Authenticate.
/// </summary>
internal static class UserInfoEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, UserInfoHandler handler, CancellationToken cancellationToken)
    {
        var (request, error) = UserInfoRequestValidator.Validate(await ReadAsync(context.Request, cancellationToken));
        if (error is not null)
        {
            return Challenge(context, error);
        }

        if (request!.AccessToken is null)
        {
            // RFC 6750 §3.1: no credentials at all gets a bare challenge, without an error code.
            OidcHttpResults.NoStore(context);
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"idp\"";
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var result = await handler.HandleAsync(request, cancellationToken);
        return result.Error is { } refused ? Challenge(context, refused) : OidcHttpResults.Write(context, result);
    }

    private static async Task<UserInfoRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> formTokens = [];
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            formTokens = form["access_token"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        }

        return new UserInfoRequest(request.Headers.Authorization.ToString(), formTokens);
    }

    private static IResult Challenge(HttpContext context, OidcError error)
    {
        var challenge = $"Bearer realm=\"idp\", error=\"{error.Code}\", error_description=\"{error.Description.Replace("\"", "'", StringComparison.Ordinal)}\"";
        return OidcHttpResults.Error(context, error, challenge);
    }
}
