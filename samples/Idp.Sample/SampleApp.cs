using System.Net.Http.Headers;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Idp.Sample;

/// <summary>
/// The sample: a cookie session made by ASP.NET Core's OpenID Connect handler (authorization code with PKCE,
/// RFC 7636), a page of the claims (<c>amr</c> and <c>acr</c> included), an API of its own that accepts Idp's access
/// tokens (JWT bearer), and RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).
/// </summary>
public static class SampleApp
{
    public const string ApiPolicy = "api";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = builder.Configuration.GetSection("Idp").Get<SampleSettings>() ?? new SampleSettings();
        if (string.IsNullOrEmpty(settings.Authority) || string.IsNullOrEmpty(settings.ClientId))
        {
            throw new InvalidOperationException("Set Idp:Authority and Idp:ClientId (and Idp:ClientSecret for a confidential client).");
        }

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            })
            .AddOpenIdConnect(o => ConfigureOpenIdConnect(o, settings))
            .AddJwtBearer(o =>
            {
                o.Authority = settings.Authority;
                o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                // Idp's access tokens are for Idp's own resources, so their audience is its issuer.
                o.TokenValidationParameters.ValidAudience = settings.Authority.TrimEnd('/');
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        builder.Services.AddAntiforgery();
        builder.Services.AddHttpClient();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        Map(app);
        return app;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions o, SampleSettings settings)
    {
        o.Authority = settings.Authority;
        o.ClientId = settings.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
        o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        o.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back in the query of a top-level redirect, which carries the SameSite=Lax correlation
        // cookie; the handler's default, form_post, is a cross-site POST that Lax cookies do not follow.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.SaveTokens = true;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.MapInboundClaims = false;
        o.Scope.Add("profile");
        o.Scope.Add("email");
        o.TokenValidationParameters.NameClaimType = "name";
        // The handler drops "acr" by default; it says which level of assurance Idp granted, so keep it.
        o.ClaimActions.Remove("acr");
        o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.SignedOutRedirectUri = "/";
    }

    private static void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext context, IAntiforgery antiforgery) => Results.Content(SamplePages.Home(context.User, antiforgery.GetAndStoreTokens(context)), "text/html; charset=utf-8"));

        app.MapGet("/signin", () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]));

        app.MapGet("/call-api", async (HttpContext context, IHttpClientFactory clients) =>
        {
            var token = await context.GetTokenAsync("access_token");
            using var client = clients.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{context.Request.Scheme}://{context.Request.Host}/api/whoami");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            return Results.Content(SamplePages.ApiAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync()), "text/html; charset=utf-8");
        }).RequireAuthorization();

        // The API: anyone holding an access token from Idp, checked by signature, issuer, audience and lifetime.
        app.MapGet("/api/whoami", (HttpContext context) => Results.Json(new
        {
            sub = context.User.FindFirst("sub")?.Value,
            scope = context.User.FindFirst("scope")?.Value,
            amr = context.User.FindAll("amr").Select(c => c.Value),
        })).RequireAuthorization(ApiPolicy);

        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            await antiforgery.ValidateRequestAsync(context);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
        });
    }
}
