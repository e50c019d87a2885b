using System.Net;
using Idp.Oidc.Protocol;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Tests.Oidc;

/// <summary>Authorize rules: what is shown on Idp's page, what goes back to the client (with state and iss), and prompt/max_age/id_token_hint.</summary>
public sealed class AuthorizeTests
{
    [Theory]
    [InlineData("unknown-client", OidcClients.WebAppRedirect, "The client_id is not a registered client.")]
    [InlineData(OidcClients.WebApp, "https://evil.test/callback", "The redirect_uri is not registered for this client.")]
    [InlineData(OidcClients.WebApp, OidcClients.WebAppRedirect + "/", "The redirect_uri is not registered for this client.")]
    [InlineData(OidcClients.WebApp, "https://RP.test/callback", "The redirect_uri is not registered for this client.")]
    [InlineData(OidcClients.WebApp, null, "redirect_uri is missing.")]
    [InlineData(null, OidcClients.WebAppRedirect, "client_id is missing.")]
    public async Task OP_redirect_uri_NotReg_ErrorShownOnIdpNeverRedirected(string? clientId, string? redirectUri, string expected)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var parameters = OidcScenario.CodeRequest(pkce: Pkce.Create());
        parameters["client_id"] = clientId;
        parameters["redirect_uri"] = redirectUri;

        var response = await oidc.Host.CreateBrowser().GetAsync(OidcScenario.AuthorizeUrl(parameters.Where(p => p.Value is not null).ToDictionary()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains(expected, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_DuplicateRedirectUri_ErrorShownOnIdp()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var url = OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(pkce: Pkce.Create())) + "&redirect_uri=" + Uri.EscapeDataString("https://evil.test/cb");

        var response = await oidc.Host.CreateBrowser().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    /// <summary>Each row names the catalogue entry its rule answers with: a row cannot pass by tripping another rule.</summary>
    public static TheoryData<string, string, OidcError> BadParameters => new()
    {
        { "response_type", "token", OidcErrors.UnsupportedResponseType() },
        { "response_type", "code id_token", OidcErrors.UnsupportedResponseType() },
        { "scope", "profile email", OidcErrors.OpenIdScopeMissing() },
        { "scope", "openid admin", OidcErrors.ScopeNotAllowed("admin") },
        { "code_challenge_method", "plain", OidcErrors.PkceMethodNotSupported() },
        { "code_challenge", "too-short", OidcErrors.InvalidParameter("code_challenge", "an S256 challenge is 43 Base64url characters.") },
        { "prompt", "none login", OidcErrors.InvalidParameter("prompt", "none cannot be combined with other values.") },
        { "prompt", "sometimes", OidcErrors.InvalidParameter("prompt", "\"sometimes\" is not none, login, consent or select_account.") },
        { "max_age", "-1", OidcErrors.InvalidParameter("max_age", "a whole number of seconds is expected.") },
        { "max_age", "soon", OidcErrors.InvalidParameter("max_age", "a whole number of seconds is expected.") },
        { "response_mode", "fragment", OidcErrors.InvalidParameter("response_mode", "use query or form_post.") },
        { "request", "eyJhbGciOiJub25lIn0.e30.", OidcErrors.RequestObjectNotSupported() },
        { "request_uri", "https://rp.test/request.jwt", OidcErrors.RequestUriNotSupported() },
        { "registration", "{}", OidcErrors.RegistrationNotSupported() },
        { "id_token_hint", "not-a-token", OidcErrors.InvalidParameter("id_token_hint", "it is not an ID token Idp issued to this client.") },
        { "display", "fullscreen", OidcErrors.InvalidParameter("display", "use page, popup, touch or wap.") },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task Authorize_BadParameter_ErrorRedirectedWithStateAndIss(string name, string value, OidcError expected)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var parameters = OidcScenario.CodeRequest(pkce: Pkce.Create(), state: "keep-me");
        parameters[name] = value;

        var response = await oidc.Host.CreateBrowser().GetAsync(OidcScenario.AuthorizeUrl(parameters));
        var callback = OidcScenario.CallbackParameters(response.Headers.Location!);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(OidcClients.WebAppRedirect + "?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(expected.Code, callback["error"]);
        Assert.Equal(expected.Description, callback["error_description"]);
        Assert.Equal("keep-me", callback["state"]);
        Assert.Equal("https://idp.test", callback["iss"]);
    }

    [Fact]
    public async Task Authorize_DuplicateParameter_InvalidRequestRedirected()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var url = OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(pkce: Pkce.Create())) + "&scope=openid";

        var response = await oidc.Host.CreateBrowser().GetAsync(url);

        Assert.Equal("invalid_request", OidcScenario.CallbackParameters(response.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task Authorize_OversizedState_InvalidRequestWithoutEchoingIt()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var parameters = OidcScenario.CodeRequest(pkce: Pkce.Create(), state: new string('s', 3000));

        var response = await oidc.Host.CreateBrowser().GetAsync(OidcScenario.AuthorizeUrl(parameters));
        var callback = OidcScenario.CallbackParameters(response.Headers.Location!);

        Assert.Equal("invalid_request", callback["error"]);
        Assert.False(callback.ContainsKey("state"));
    }

    [Fact]
    public async Task Authorize_PublicClientWithoutPkce_InvalidRequest()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.Host.CreateBrowser().GetAsync(OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(OidcClients.Spa, OidcClients.SpaRedirect, "openid")));

        Assert.Equal("invalid_request", OidcScenario.CallbackParameters(response.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task Authorize_PostForm_SameAsGet()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);

        var response = await browser.PostAsync("/connect/authorize", new FormUrlEncodedContent(OidcScenario.CodeRequest(pkce: Pkce.Create())!.ToDictionary(p => p.Key, p => p.Value!)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(OidcScenario.CallbackParameters(response.Headers.Location!).ContainsKey("code"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OP_prompt_none_NotLoggedIn_LoginRequired(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var parameters = OidcScenario.CodeRequest(pkce: Pkce.Create());
        parameters["prompt"] = "none";

        var response = await oidc.Host.CreateBrowser().GetAsync(OidcScenario.AuthorizeUrl(parameters));
        var callback = OidcScenario.CallbackParameters(response.Headers.Location!);

        Assert.Equal("login_required", callback["error"]);
        Assert.Equal("st-1", callback["state"]);
        Assert.Equal("https://idp.test", callback["iss"]);
    }

    [Fact]
    public async Task OP_prompt_none_LoggedIn_CodeWithoutAnyPage()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var parameters = OidcScenario.CodeRequest(pkce: Pkce.Create());
        parameters["prompt"] = "none";

        var response = await browser.GetAsync(OidcScenario.AuthorizeUrl(parameters));

        Assert.True(OidcScenario.CallbackParameters(response.Headers.Location!).ContainsKey("code"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OP_prompt_login_ForcesANewSignIn(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var browser = oidc.Host.CreateBrowser();
        var first = await oidc.SignInAndRedeemAsync(browser, "openid");
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(5));
        var parameters = OidcScenario.CodeRequest(pkce: Pkce.Create());
        parameters["prompt"] = "login";

        var toLogin = await browser.GetAsync(OidcScenario.AuthorizeUrl(parameters));
        var pkce = Pkce.Create();
        parameters["code_challenge"] = pkce.Challenge;
        var callback = await oidc.AuthorizeAsync(browser, parameters);
        var second = await OidcScenario.JsonAsync(await oidc.RedeemAsync(callback["code"], pkce));

        Assert.StartsWith("/account/login", toLogin.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.True(AuthTime(second) >= AuthTime(first) + 300);
    }

    [Fact]
    public async Task OP_Req_max_age_OlderSignInMustBeRepeated()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = oidc.Host.CreateBrowser();
        await oidc.SignInAndRedeemAsync(browser, "openid");
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(10));
        var withinAge = OidcScenario.CodeRequest(pkce: Pkce.Create());
        withinAge["max_age"] = "3600";
        var tooOld = OidcScenario.CodeRequest(pkce: Pkce.Create());
        tooOld["max_age"] = "60";
        var tooOldSilent = OidcScenario.CodeRequest(pkce: Pkce.Create());
        tooOldSilent["max_age"] = "60";
        tooOldSilent["prompt"] = "none";

        var within = await browser.GetAsync(OidcScenario.AuthorizeUrl(withinAge));
        var old = await browser.GetAsync(OidcScenario.AuthorizeUrl(tooOld));
        var silent = await browser.GetAsync(OidcScenario.AuthorizeUrl(tooOldSilent));
        var pkce = Pkce.Create();
        tooOld["code_challenge"] = pkce.Challenge;
        var callback = await oidc.AuthorizeAsync(browser, tooOld);

        Assert.True(OidcScenario.CallbackParameters(within.Headers.Location!).ContainsKey("code"));
        Assert.StartsWith("/account/login", old.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("login_required", OidcScenario.CallbackParameters(silent.Headers.Location!)["error"]);
        Assert.True(callback.ContainsKey("code"));
    }

    [Fact]
    public async Task OP_Req_id_token_hint_SamePersonSilently_OtherPersonLoginRequired()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var alice = oidc.Host.CreateBrowser();
        var idToken = (await oidc.SignInAndRedeemAsync(alice, "openid")).GetProperty("id_token").GetString()!;
        var bob = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(bob, "bob", OidcScenario.Password);
        var parameters = OidcScenario.CodeRequest(pkce: Pkce.Create());
        parameters["prompt"] = "none";
        parameters["id_token_hint"] = idToken;

        var forAlice = await alice.GetAsync(OidcScenario.AuthorizeUrl(parameters));
        var forBob = await bob.GetAsync(OidcScenario.AuthorizeUrl(parameters));

        Assert.True(OidcScenario.CallbackParameters(forAlice.Headers.Location!).ContainsKey("code"));
        Assert.Equal("login_required", OidcScenario.CallbackParameters(forBob.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task Authorize_FormPostResponseMode_SelfSubmittingFormWithoutInlineScript()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var parameters = OidcScenario.CodeRequest(pkce: Pkce.Create(), state: "fp");
        parameters["response_mode"] = "form_post";

        var page = await HtmlForm.ParseAsync(await browser.GetAsync(OidcScenario.AuthorizeUrl(parameters)));
        var form = page.QuerySelector("form#form-post")!;

        Assert.Equal(OidcClients.WebAppRedirect, form.GetAttribute("action"));
        Assert.False(string.IsNullOrEmpty(form.QuerySelector("input[name=code]")!.GetAttribute("value")));
        Assert.Equal("fp", form.QuerySelector("input[name=state]")!.GetAttribute("value"));
        Assert.Equal("https://idp.test", form.QuerySelector("input[name=iss]")!.GetAttribute("value"));
        Assert.Null(form.QuerySelector("input[name=__RequestVerificationToken]"));
        Assert.Equal("/js/form-post.js", page.QuerySelector("script")!.GetAttribute("src"));
        Assert.Empty(page.QuerySelectorAll("script:not([src])"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Consent_RequiredClient_AllowThenCode_DenyThenAccessDenied(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var browser = oidc.Host.CreateBrowser();
        var silent = OidcScenario.CodeRequest(OidcClients.Consenting, OidcClients.ConsentingRedirect, "openid", Pkce.Create());
        silent["prompt"] = "none";
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);

        var needConsent = await browser.GetAsync(OidcScenario.AuthorizeUrl(silent));
        var toConsent = await browser.GetAsync(OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(OidcClients.Consenting, OidcClients.ConsentingRedirect, "openid", Pkce.Create())));
        var consentPath = toConsent.Headers.Location!.OriginalString;
        var allowed = await HtmlForm.SubmitAsync(browser, consentPath, new Dictionary<string, string> { ["decision"] = "allow" });
        var done = await oidc.BrowseAsync(browser, allowed.Headers.Location!.OriginalString, userName: null);
        var afterConsent = await browser.GetAsync(OidcScenario.AuthorizeUrl(silent));

        var bob = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(bob, "bob", OidcScenario.Password);
        var bobToConsent = await bob.GetAsync(OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(OidcClients.Consenting, OidcClients.ConsentingRedirect, "openid", Pkce.Create())));
        var denied = await HtmlForm.SubmitAsync(bob, bobToConsent.Headers.Location!.OriginalString, new Dictionary<string, string> { ["decision"] = "deny" });

        Assert.Equal("consent_required", OidcScenario.CallbackParameters(needConsent.Headers.Location!)["error"]);
        Assert.StartsWith("/connect/consent?id=", consentPath, StringComparison.Ordinal);
        Assert.True(OidcScenario.CallbackParameters(done.Headers.Location!).ContainsKey("code"));
        Assert.True(OidcScenario.CallbackParameters(afterConsent.Headers.Location!).ContainsKey("code"));
        Assert.Equal("access_denied", OidcScenario.CallbackParameters(denied.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task Authorize_ResumeWithUnknownOrUsedId_ExplainedOnIdp()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.Host.CreateBrowser().GetAsync("/connect/authorize/resume?id=" + new string('x', 43));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expired or was already completed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_LoginHint_PrefillsTheLoginField()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = oidc.Host.CreateBrowser();
        var parameters = OidcScenario.CodeRequest(pkce: Pkce.Create());
        parameters["login_hint"] = "bob";

        var toLogin = await browser.GetAsync(OidcScenario.AuthorizeUrl(parameters));
        var page = await HtmlForm.ParseAsync(await browser.GetAsync(toLogin.Headers.Location!.OriginalString));

        Assert.Equal("bob", page.QuerySelector("#login")!.GetAttribute("value"));
    }

    private static long AuthTime(System.Text.Json.JsonElement tokens)
    {
        new JsonWebToken(tokens.GetProperty("id_token").GetString()!).TryGetPayloadValue<long>("auth_time", out var authTime);
        return authTime;
    }
}
