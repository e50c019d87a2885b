using System.Net;
using System.Text.Json;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;

namespace Idp.Tests.Oidc;

/// <summary>
/// A relying party built on openid-client (npm; a certified OpenID Connect client library) against the real server on
/// Kestrel: sign-in with PKCE, state, nonce and iss checked by the library, then userinfo, refresh and logout.
/// </summary>
public sealed class CertifiedClientTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OpenIdClient_SignInRefreshUserInfoLogout(DatabaseKind kind)
    {
        const string redirect = "http://127.0.0.1:9/rp/callback";
        const string loggedOut = "http://127.0.0.1:9/rp/signed-out";
        await using var database = await TestDatabase.CreateAsync(kind);
        var settings = OidcClients.Settings();
        settings["Idp:Clients:0:RedirectUris:1"] = redirect;
        settings["Idp:Clients:0:PostLogoutRedirectUris:1"] = loggedOut;
        await using var server = await IdpServerHost.StartAsync(database, settings);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>().CreateAsync(new IdpUser { UserName = "carol", Email = "carol@example.com" }, OidcScenario.Password);
            Assert.True(created.Succeeded);
        }

        var stateFile = Path.GetTempFileName();
        var issuer = server.BaseUrl.ToString().TrimEnd('/');
        var start = await ExternalTool.NodeScriptAsync("rp.mjs", "start", stateFile, issuer, OidcClients.WebApp, OidcClients.WebAppSecret, redirect, loggedOut);
        Assert.True(start.ExitCode == 0, start.StandardError);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseUrl };
        var callback = await SignInAsync(browser, new Uri(start.StandardOutput));
        var finish = await ExternalTool.NodeScriptAsync("rp.mjs", "finish", stateFile, callback.ToString());
        Assert.True(finish.ExitCode == 0, finish.StandardError);
        var summary = JsonDocument.Parse(finish.StandardOutput).RootElement;
        var logout = await browser.GetAsync(summary.GetProperty("endSessionUrl").GetString());

        Assert.Equal(summary.GetProperty("sub").GetString(), summary.GetProperty("userinfoSub").GetString());
        Assert.Equal(summary.GetProperty("sub").GetString(), summary.GetProperty("refreshedSub").GetString());
        Assert.Equal("carol@example.com", summary.GetProperty("email").GetString());
        Assert.Equal(["pwd"], summary.GetProperty("amr").EnumerateArray().Select(e => e.GetString()));
        Assert.True(summary.GetProperty("refreshRotated").GetBoolean());
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(loggedOut + "?state=rp-bye", logout.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/account")).StatusCode);
    }

    /// <summary>The person's part: follow Idp's redirects, sign in on the login page, stop at the redirect to the app.</summary>
    private static async Task<Uri> SignInAsync(HttpClient browser, Uri authorizationUrl)
    {
        var response = await browser.GetAsync(authorizationUrl);
        for (var hops = 0; hops < 10 && response.StatusCode == HttpStatusCode.Redirect; hops++)
        {
            var next = new Uri(browser.BaseAddress!, response.Headers.Location!);
            if (next.Authority != browser.BaseAddress!.Authority)
            {
                return next;
            }

            response = next.AbsolutePath == "/account/login"
                ? await HtmlForm.SubmitAsync(browser, next.PathAndQuery, new Dictionary<string, string> { ["Login"] = "carol", ["Password"] = OidcScenario.Password })
                : await browser.GetAsync(next);
        }

        throw new InvalidOperationException($"the sign-in did not return to the app ({(int)response.StatusCode})");
    }
}
