using Idp.Oidc.Clients;

namespace Idp.Oidc.Protocol;

/// <summary>JSON answers of the back-channel endpoints, never cached (RFC 6749 §5.1: Cache-Control no-store, Pragma no-cache).</summary>
internal static class OidcHttpResults
{
    public static IResult Json(HttpContext context, object body, int status = StatusCodes.Status200OK)
    {
        NoStore(context);
        return Results.Json(body, statusCode: status);
    }

    public static IResult Error(HttpContext context, OidcError error, string? wwwAuthenticate = null)
    {
        NoStore(context);
        if (wwwAuthenticate is not null)
        {
            context.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        }

        return Results.Json(new Dictionary<string, string> { ["error"] = error.Code, ["error_description"] = error.Description }, statusCode: error.Status);
    }

    /// <summary>Writes a handler's <see cref="ProtocolResult"/>: an error, a JSON body, or an empty 200.</summary>
    public static IResult Write(HttpContext context, ProtocolResult result)
    {
        if (result.Error is { } error)
        {
            return Error(context, error, result.Challenge);
        }

        if (result.Body is { } body)
        {
            return Json(context, body);
        }

        NoStore(context);
        return Results.Ok();
    }

    /// <summary>RFC 6749 §5.2: a 401 for a client that authenticated with the Authorization header carries a Basic challenge.</summary>
    public static string? ClientChallenge(OidcError error, bool usedBasic)
        => error.Status == StatusCodes.Status401Unauthorized && usedBasic ? ClientAuthenticator.BasicChallenge : null;

    public static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
    }

    /// <summary>Reads a form body: the content type must be application/x-www-form-urlencoded (RFC 6749 §3.2).</summary>
    public static async Task<ProtocolParameters?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        var form = await request.ReadFormAsync(cancellationToken);
        return ProtocolParameters.From(form);
    }
}
