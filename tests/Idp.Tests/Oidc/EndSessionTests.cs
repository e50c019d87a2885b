using System.Net;
using Idp.Oidc.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace Idp.Tests.Oidc;

/// <summary>OpenID Connect RP-Initiated Logout 1.0.</summary>
public sealed class EndSessionTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task EndSession_ValidHint_SignsOutEverywhereAndReturnsWithState(DatabaseKind kind)
    {
        // Node A is the scenario's host; node B shares its database. The browser signs in on A, logs out on B.
        await using var oidc = await OidcScenario.StartAsync(kind);
        await using var nodeB = await IdpTestHost.StartAsync(oidc.Inner.Database, OidcClients.Settings());
        var onNodeA = oidc.Host.CreateBrowser(out var cookies);
        var onNodeB = nodeB.CreateBrowserSharing(cookies);
        var idToken = (await oidc.SignInAndRedeemAsync(onNodeA, "openid")).GetProperty("id_token").GetString()!;
        var signedInOnB = await onNodeB.GetAsync("/account");
        // A copy of the session cookie kept from before the logout, as another tab or a thief would hold it.
        var stale = Clone(cookies);
        var logout = QueryHelpers.AddQueryString("/connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = idToken, ["post_logout_redirect_uri"] = OidcClients.WebAppLoggedOut, ["state"] = "bye",
        });

        var response = await onNodeB.GetAsync(logout);
        var replayedOnA = await oidc.Host.CreateBrowserSharing(stale).GetAsync("/account");

        Assert.Equal(HttpStatusCode.OK, signedInOnB.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(OidcClients.WebAppLoggedOut + "?state=bye", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await onNodeA.GetAsync("/account")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, replayedOnA.StatusCode);
        Assert.Contains("/account/login", replayedOnA.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static System.Net.CookieContainer Clone(System.Net.CookieContainer jar)
    {
        var copy = new System.Net.CookieContainer();
        foreach (System.Net.Cookie cookie in jar.GetAllCookies())
        {
            copy.Add(new System.Net.Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain) { Secure = cookie.Secure, HttpOnly = cookie.HttpOnly });
        }

        return copy;
    }

    [Fact]
    public async Task EndSession_WithoutHint_AsksFirst_ThenConfirmSignsOut()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var path = $"/connect/endsession?client_id={OidcClients.WebApp}&post_logout_redirect_uri={Uri.EscapeDataString(OidcClients.WebAppLoggedOut)}&state=s";

        var page = await browser.GetAsync(path);
        var stillSignedIn = await browser.GetAsync("/account");
        var confirm = await HtmlForm.SubmitAsync(browser, path, new Dictionary<string, string>());
        var after = await browser.GetAsync("/account");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Sign out?", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        Assert.Equal(OidcClients.WebAppLoggedOut + "?state=s", confirm.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task EndSession_ConfirmWithoutAntiforgery_Refused()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);

        var forged = await browser.PostAsync("/connect/endsession/confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = OidcClients.WebApp }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);
    }

    public static TheoryData<string, OidcError> BadRequests => new()
    {
        { "post_logout_redirect_uri=https%3A%2F%2Fevil.test%2F&client_id=webapp", OidcErrors.EndSessionRedirectNotRegistered() },
        { "post_logout_redirect_uri=https%3A%2F%2Frp.test%2Fsigned-out", OidcErrors.EndSessionRedirectWithoutClient() },
        { "id_token_hint=forged.token.value", OidcErrors.EndSessionHintNotOurs() },
        { "client_id=nobody", OidcErrors.EndSessionUnknownClient() },
        { "client_id=webapp&client_id=webapp", OidcErrors.DuplicateParameter("client_id", allowRedirect: false) },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task EndSession_BadRequest_ExplainedNeverRedirected(string query, OidcError expected)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.Host.CreateBrowser().GetAsync("/connect/endsession?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(expected.Description), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
