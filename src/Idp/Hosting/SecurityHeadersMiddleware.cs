namespace Idp.Hosting;

/// <summary>
/// Headers on every response: a CSP with no inline script and no framing, nosniff, no referrer. The CSP has no
/// form-action: after a sign-in form, the browser follows redirects to the relying party's origin, which Chromium
/// would block under form-action 'self'.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, IHostEnvironment environment, Microsoft.Extensions.Options.IOptions<IdpOptions> options)
{
    // RFC 6797: browsers that once reached the https issuer refuse plain http to it for MaxAge. Not in Development
    // (a localhost pinned to https breaks other local projects), and only when the issuer is https.
    private readonly string? _strictTransportSecurity =
        !environment.IsDevelopment() && options.Value.Issuer?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true && options.Value.Hsts.MaxAge > TimeSpan.Zero
            ? $"max-age={(long)options.Value.Hsts.MaxAge.TotalSeconds}{(options.Value.Hsts.IncludeSubDomains ? "; includeSubDomains" : string.Empty)}"
            : null;

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.TryAdd("Content-Security-Policy", ContentSecurityPolicy);
            headers["X-Content-Type-Options"] = "nosniff";
            headers["X-Frame-Options"] = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (_strictTransportSecurity is not null)
            {
                headers.StrictTransportSecurity = _strictTransportSecurity;
            }
            return Task.CompletedTask;
        });
        return next(context);
    }
}
