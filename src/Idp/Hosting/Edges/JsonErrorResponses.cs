using System.Text.Json;
using Idp.Oidc;
using Idp.Oidc.Protocol;
using Microsoft.AspNetCore.Diagnostics;

namespace Idp.Hosting;

/// <summary>
/// The back-channel endpoints answer in JSON whatever goes wrong, never with the HTML error page a browser gets:
/// token, userinfo, introspection, revocation, discovery and JWKS with RFC 6749 §5.2's <c>server_error</c>, the
/// admin API with an RFC 9457 problem. Both carry the correlation id of the log line, never an exception or a stack trace.
/// </summary>
internal static class JsonErrorResponses
{
    private static readonly string[] OAuthPaths = [OidcEndpoints.Token, OidcEndpoints.UserInfo, OidcEndpoints.Introspection, OidcEndpoints.Revocation, OidcEndpoints.Discovery, OidcEndpoints.Jwks];

    public static bool IsJsonEndpoint(HttpContext context) => IsOAuth(context) || IsAdminApi(context);

    /// <summary>Unexpected exceptions and bare status codes (413, 429, ...) of the JSON endpoints, answered in JSON.</summary>
    public static IApplicationBuilder UseJsonErrorResponses(this IApplicationBuilder app)
        => app.UseWhen(IsJsonEndpoint, branch => branch.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A database out of reach is answered before this, by DatabaseOutageHandler (503).
            ExceptionHandler = context => WriteAsync(context, StatusCodes.Status500InternalServerError),
        }).UseStatusCodePages(async statusContext =>
        {
            // RFC 6750 §3.1: a bearer challenge without credentials carries no error body; its header says it all.
            var response = statusContext.HttpContext.Response;
            if (response.StatusCode >= 400 && !response.Headers.ContainsKey("WWW-Authenticate"))
            {
                await WriteAsync(statusContext.HttpContext, response.StatusCode);
            }
        }));

    public static Task WriteAsync(HttpContext context, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        var correlation = context.TraceIdentifier;
        if (IsAdminApi(context))
        {
            response.ContentType = "application/problem+json";
            return response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["type"] = "about:blank",
                ["title"] = Title(status),
                ["status"] = status,
                ["correlationId"] = correlation,
            }));
        }

        response.ContentType = "application/json";
        var (code, description) = status switch
        {
            StatusCodes.Status413PayloadTooLarge => ("invalid_request", "The request is too large."),
            StatusCodes.Status429TooManyRequests => ("temporarily_unavailable", "Too many requests from this address; retry after the seconds in Retry-After."),
            // RFC 6749 §5.2 lists neither code for the token endpoint; §4.1.2.1's server_error, with the 503 status,
            // says "try later" to any client (429 keeps temporarily_unavailable, which the authorize endpoint uses too).
            StatusCodes.Status503ServiceUnavailable => (OidcErrors.ServerError().Code, $"The service is temporarily unavailable; retry in a few seconds. Correlation id: {correlation}."),
            >= 500 => (OidcErrors.ServerError().Code, $"{OidcErrors.ServerError().Description} Correlation id: {correlation}."),
            _ => ("invalid_request", "The request could not be understood."),
        };
        return response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = code, ["error_description"] = description }));
    }

    private static string Title(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request is too large.",
        StatusCodes.Status429TooManyRequests => "Too many requests from this address; retry after the seconds in Retry-After.",
        StatusCodes.Status503ServiceUnavailable => "The service is temporarily unavailable; retry after the seconds in Retry-After.",
        >= 500 => "The server could not complete the request.",
        _ => "The request could not be understood.",
    };

    // Routing takes "/connect/token/" for "/connect/token": so must this.
    private static bool IsOAuth(HttpContext context)
    {
        var path = context.Request.Path.Value?.TrimEnd('/') ?? string.Empty;
        return OAuthPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsAdminApi(HttpContext context) => context.Request.Path.StartsWithSegments(Admin.Api.AdminApiEndpoints.Prefix, StringComparison.OrdinalIgnoreCase);
}
