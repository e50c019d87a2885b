using System.Net;
using Microsoft.AspNetCore.Diagnostics;

namespace Idp.Hosting;

/// <summary>
/// Answers a request that failed because the database is out of reach (<see cref="DatabaseOutage"/>) with 503 and
/// Retry-After, in the endpoint's own format, before any error page is re-executed: re-executing would authenticate
/// a signed-in browser again, whose session lives in that same unreachable database, and end in a bare 500.
/// </summary>
internal sealed class DatabaseOutageHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseOutage.Caused(exception) || context.Response.HasStarted)
        {
            return false;
        }

        context.Response.Clear();
        DatabaseOutage.AskToRetry(context.Response);
        if (JsonErrorResponses.IsJsonEndpoint(context))
        {
            await JsonErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable);
            return true;
        }

        if (context.Request.Path.StartsWithSegments(Validation.ValidationEndpoints.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            // privacyIDEA's clients read result.status: false is "could not decide", never an accept.
            await Validation.ValidationResponses.Error(StatusCodes.Status503ServiceUnavailable, "temporarily unavailable; retry in a few seconds").ExecuteAsync(context);
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Temporarily unavailable</title></head><body><main>"
            + "<h1>Temporarily unavailable</h1><p>The service cannot complete requests just now. Try again in a few seconds.</p>"
            + $"<p>If you contact support, give them this reference: <code>{WebUtility.HtmlEncode(context.TraceIdentifier)}</code></p>"
            + "</main></body></html>",
            cancellationToken);
        return true;
    }
}
