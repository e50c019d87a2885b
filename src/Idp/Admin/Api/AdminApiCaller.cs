using Idp.Hosting;
using Idp.Oidc.Tokens;
using Microsoft.Extensions.Options;

namespace Idp.Admin.Api;

/// <summary>
/// Who calls /api/admin: a machine client holding one of Idp's own client-credentials access tokens with the admin
/// scope (Idp:Admin:ApiScope). RFC 6750 §3.1: a missing or bad token is 401 invalid_token, a token without the
/// scope is 403 insufficient_scope, both with WWW-Authenticate.
/// </summary>
internal static class AdminApiCaller
{
    public static async Task<(AdminActor? Actor, IResult? Refusal)> AuthenticateAsync(HttpContext context, AccessTokenValidator validator, IOptions<IdpOptions> options, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"idp-admin\"";
            return (null, Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "An access token is required.", detail: "Send a client-credentials access token from this IdP as Authorization: Bearer."));
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Challenge(context, StatusCodes.Status401Unauthorized, "invalid_token", "Use the Bearer scheme."));
        }

        var validation = await validator.ValidateAsync(header["Bearer ".Length..].Trim(), cancellationToken);
        if (!validation.IsValid)
        {
            return (null, Challenge(context, StatusCodes.Status401Unauthorized, "invalid_token", validation.Error!));
        }

        var token = validation.Token!;
        var clientId = token.TryGetPayloadValue<string>("client_id", out var id) ? id : null;
        var scope = options.Value.Admin.ApiScope;
        if (clientId is null || token.Subject != clientId || !validation.Scopes.Contains(scope, StringComparer.Ordinal))
        {
            // A user's token is not enough, whatever its scopes: the API is for machine clients of the administrator.
            return (null, Challenge(context, StatusCodes.Status403Forbidden, "insufficient_scope", $"A client-credentials token with the scope {scope} is required."));
        }

        return (AdminActor.ApiClient(clientId), null);
    }

    private static IResult Challenge(HttpContext context, int status, string error, string description)
    {
        context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"idp-admin\", error=\"{error}\", error_description=\"{description.Replace("\"", "'", StringComparison.Ordinal)}\"";
        return Results.Problem(statusCode: status, title: description);
    }
}
