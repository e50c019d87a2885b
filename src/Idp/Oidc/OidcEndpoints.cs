using Idp.Oidc.Discovery;
using Idp.Oidc.Introspection;
using Idp.Oidc.Revocation;
using Idp.Oidc.Token;
using Idp.Oidc.UserInfo;

namespace Idp.Oidc;

/// <summary>Paths of the protocol endpoints and their mapping. Authorize and end-session are Razor pages (they render HTML).</summary>
internal static class OidcEndpoints
{
    public const string Discovery = "/.well-known/openid-configuration";
    public const string Jwks = "/.well-known/jwks.json";
    public const string Authorize = "/connect/authorize";
    public const string Token = "/connect/token";
    public const string UserInfo = "/connect/userinfo";
    public const string EndSession = "/connect/endsession";
    public const string Revocation = "/connect/revoke";
    public const string Introspection = "/connect/introspect";

    public static IEndpointRouteBuilder MapOidc(this IEndpointRouteBuilder app)
    {
        app.MapGet(Discovery, DiscoveryEndpoint.Handle);
        app.MapGet(Oidc.Authorize.FormPostScript.Path, () => Results.Text(Oidc.Authorize.FormPostScript.Source, "text/javascript"));
        app.MapGet(Jwks, DiscoveryEndpoint.JwksAsync);
        app.MapPost(Token, TokenEndpoint.HandleAsync).DisableAntiforgery().RequireRateLimiting(Hosting.RateLimitingRegistration.TokenPolicy);
        app.MapMethods(UserInfo, ["GET", "POST"], UserInfoEndpoint.HandleAsync).DisableAntiforgery();
        app.MapPost(Revocation, RevocationEndpoint.HandleAsync).DisableAntiforgery().RequireRateLimiting(Hosting.RateLimitingRegistration.TokenInspectionPolicy);
        app.MapPost(Introspection, IntrospectionEndpoint.HandleAsync).DisableAntiforgery().RequireRateLimiting(Hosting.RateLimitingRegistration.TokenInspectionPolicy);
        return app;
    }
}
