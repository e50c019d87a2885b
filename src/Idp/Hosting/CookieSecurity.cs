namespace Idp.Hosting;

/// <summary>
/// Cookies are Secure outside Development. The one exception is an http issuer on a loopback address, which the
/// issuer rules accept for local testing: a browser there could not send a Secure cookie back at all.
/// </summary>
internal static class CookieSecurity
{
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
