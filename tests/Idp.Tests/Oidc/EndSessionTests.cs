using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace Idp.Tests.Oidc;

/// <summary>OpenID Connect RP-Initiated Logout 1.0.</summary>
public sealed class EndSessionTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task EndSession_ValidHint_SignsOutEverywhereAndReturnsWithState(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var settings = OidcClients.Settings();
        await using var nodeA = await IdpTestHost.StartAsync(database, settings);
        await using var nodeB = await IdpTestHost.StartAsync(database, settings);
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = oidc.Host.CreateBrowser();
        var idToken = (await oidc.SignInAndRedeemAsync(browser, "openid")).GetProperty("id_token").GetString()!;
        var logout = QueryHelpers.AddQueryString("/connect/endsession", new Dictionary<string, string?>
        {
            ["id_token_hint"] = idToken, ["post_logout_redirect_uri"] = OidcClients.WebAppLoggedOut, ["state"] = "bye",
        });

        var response = await browser.GetAsync(logout);
        var account = await browser.GetAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(OidcClients.WebAppLoggedOut + "?state=bye", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.NotNull(nodeA);
        Assert.NotNull(nodeB);
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

    [Theory]
    [InlineData("post_logout_redirect_uri=https%3A%2F%2Fevil.test%2F&client_id=webapp", "not registered")]
    [InlineData("post_logout_redirect_uri=https%3A%2F%2Frp.test%2Fsigned-out", "needs id_token_hint or client_id")]
    [InlineData("id_token_hint=forged.token.value", "not an ID token Idp issued")]
    [InlineData("client_id=nobody", "not a registered client")]
    public async Task EndSession_BadRequest_ExplainedNeverRedirected(string query, string expected)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.Host.CreateBrowser().GetAsync("/connect/endsession?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
