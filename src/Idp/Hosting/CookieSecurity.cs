namespace Idp.Hosting;

/// <summary>
/// Cookies are Secure outside Development. The one exception is an http issuer on a loopback address, which the
/// issuer rules accept for local testing: a browser there could not send a Secure cookie back at all.
/// Secure cookies carry the <c>__Host-</c> prefix (RFC 6265bis §4.1.3.2, OWASP ASVS V3.4.4): the browser then
/// refuses the same name set by a sibling subdomain or over http, so nobody can plant a session cookie.
/// </summary>
internal static class CookieSecurity
{
    public const string SessionCookie = "idp.session";
    public const string AntiforgeryCookie = "idp.csrf";
    public const string PendingSignInCookie = "idp.2fa";

    /// <summary>The cookie's name under this policy: <c>__Host-</c> prefixed when it is always Secure.</summary>
    public static string Name(string name, CookieSecurePolicy policy) => policy == CookieSecurePolicy.Always ? $"__Host-{name}" : name;

    public static bool IsSecure(CookieSecurePolicy policy, HttpRequest request)
        => policy == CookieSecurePolicy.Always || (policy == CookieSecurePolicy.SameAsRequest && request.IsHttps);

    public static CookieSecurePolicy Policy(IHostEnvironment environment, IConfiguration configuration)
    {
        if (environment.IsDevelopment())
        {
            return CookieSecurePolicy.SameAsRequest;
        }

        var issuer = configuration[$"{IdpOptions.Section}:{nameof(IdpOptions.Issuer)}"];
        return Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback
            ? CookieSecurePolicy.SameAsRequest
            : CookieSecurePolicy.Always;
    }
}
