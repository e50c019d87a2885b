using System.Net;
using Idp.Tests.Oidc;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Tests.SecondFactor;

/// <summary>User stories of the second step, over HTTP against the real app.</summary>
public sealed class SecondFactorSignInTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task UserWithADeviceGivesPasswordThenCodeAndTheTokensSayOtp(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings());
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();
        var pkce = Pkce.Create();

        var toLogin = await browser.GetAsync(OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(pkce: pkce)));
        var password = await HtmlForm.SubmitAsync(browser, toLogin.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = OidcScenario.Password });
        var noSessionYet = await browser.GetAsync("/account");
        var codePage = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa"));
        var code = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        var callback = await SecondFactorScenario.FollowAsync(browser, code);
        var tokens = await OidcScenario.JsonAsync(await oidc.RedeemAsync(OidcScenario.CallbackParameters(callback.Headers.Location!)["code"], pkce));
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString()!);

        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, noSessionYet.StatusCode);
        Assert.Equal("one-time-code", codePage.QuerySelector("#code")!.GetAttribute("autocomplete"));
        Assert.Equal("numeric", codePage.QuerySelector("#code")!.GetAttribute("inputmode"));
        Assert.NotNull(codePage.QuerySelector("label[for=code]"));
        Assert.StartsWith(OidcClients.WebAppRedirect, callback.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(["pwd", "otp", "mfa"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.Equal("urn:idp:acr:mfa", idToken.GetClaim("acr").Value);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task TheSameCodeCannotSignInTwice(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var code = SecondFactorScenario.CodeAt(oidc.Host);
        var first = oidc.Host.CreateBrowser();
        var second = oidc.Host.CreateBrowser();

        await oidc.Inner.SignInAsync(first, "alice", OidcScenario.Password);
        var accepted = await SecondFactorScenario.SubmitCodeAsync(first, code);
        await oidc.Inner.SignInAsync(second, "alice", OidcScenario.Password);
        var replayed = await SecondFactorScenario.SubmitCodeAsync(second, code);

        Assert.Equal("/account", accepted.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("already used", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/account")).StatusCode);
    }

    [Theory]
    [InlineData("000000x", "not right")]
    [InlineData("12345", "not right")]
    [InlineData("", "not right")]
    public async Task WrongCodesAreExplainedAndThreeSendYouBackToThePasswordPage(string wrong, string expected)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);

        var firstTry = await SecondFactorScenario.SubmitCodeAsync(browser, wrong);
        await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host, stepOffset: 10));
        var third = await SecondFactorScenario.SubmitCodeAsync(browser, "999999" == SecondFactorScenario.CodeAt(oidc.Host) ? "999998" : "999999");
        var login = await HtmlForm.ParseAsync(await browser.GetAsync(third.Headers.Location!.OriginalString));
        var codePageAfter = await browser.GetAsync("/account/2fa");

        Assert.Contains(expected, await firstTry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/account/login", third.Headers.Location!.OriginalString);
        Assert.Contains("Too many wrong codes. Sign in again.", login.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("/account/login", codePageAfter.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>
    /// An administrator ending a user's sessions (or a password reset) also ends the sign-in that got past the password
    /// and waits for its code: before, it survived whenever no session was kept, as SQL's "SessionId <> NULL" is
    /// never true, and whoever had the old password could finish it with a code.
    /// </summary>
    [Fact]
    public async Task EndingAUsersSessions_AlsoEndsTheSignInWaitingForItsCode()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var form = await SecondFactorScenario.CodeFormAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        await using (var scope = oidc.Host.Services.CreateAsyncScope())
        {
            var alice = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Idp.Persistence.Entities.IdpUser>>().FindByNameAsync("alice");
            await scope.ServiceProvider.GetRequiredService<Idp.Accounts.UserSessionsEnder>().EndAsync(alice!.Id, keepSessionId: null, CancellationToken.None);
        }

        var code = await browser.PostAsync("/account/2fa", new FormUrlEncodedContent(form));
        var account = await browser.GetAsync("/account");

        Assert.NotEqual("/account", code.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
    }

    [Fact]
    public async Task ThePendingSignInExpiresAfterTheLoginTimeout()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        // The form as the person had it on screen, antiforgery token included: only the expiry can refuse it.
        var form = await SecondFactorScenario.CodeFormAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(3));

        var late = await browser.PostAsync("/account/2fa", new FormUrlEncodedContent(form));
        var page = await browser.GetAsync("/account/2fa");
        var account = await browser.GetAsync("/account");

        Assert.NotEqual(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Equal("/account/login?notice=2fa-timeout", late.Headers.Location?.OriginalString);
        Assert.Equal("/account/login?notice=2fa-timeout", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
    }

    [Fact]
    public async Task AForgedPendingCookieGetsNowhere()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var request = new HttpRequestMessage(HttpMethod.Get, "/account/2fa");
        request.Headers.Add("Cookie", "__Host-idp.2fa=forged-value");

        var response = await oidc.Host.CreateBrowser().SendAsync(request);

        Assert.Equal("/account/login?notice=2fa-timeout", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task TooManyWrongCodesLockTheSecondFactorUntilLater(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Retries", "2"), ("Otp:MaxFailures", "3")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();
        var wrong = SecondFactorScenario.CodeAt(oidc.Host, stepOffset: 20);

        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, wrong);
        await SecondFactorScenario.SubmitCodeAsync(browser, wrong);
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, wrong);
        var locking = await SecondFactorScenario.SubmitCodeAsync(browser, wrong);
        var lockedMessage = (await HtmlForm.ParseAsync(await browser.GetAsync("/account/login"))).QuerySelector("[role=alert]")!.TextContent;
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var rightButLocked = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(6));
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var afterLock = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));

        Assert.Equal("/account/login", locking.Headers.Location!.OriginalString);
        Assert.Contains("locked until", lockedMessage, StringComparison.Ordinal);
        Assert.Equal("/account/login", rightButLocked.Headers.Location!.OriginalString);
        Assert.Equal("/account", afterLock.Headers.Location!.OriginalString);
        Assert.NotEmpty(await TestAudit.EventsAsync(oidc.Host.Services, "otp.locked"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AClientThatDemandsTheSecondFactorStepsUpAPasswordSession(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings());
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "bob");
        await using var scope = oidc.Host.Services.CreateAsyncScope();
        var browser = oidc.Host.CreateBrowser();
        // bob signs in to a password-only app first (Activation Off for this check is not needed: the code step is on).
        await oidc.Inner.SignInAsync(browser, "bob", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        var carol = oidc.Host.CreateBrowser();
        await oidc.Inner.CreateUserAsync("carol", OidcScenario.Password);
        await oidc.Inner.SignInAsync(carol, "carol", OidcScenario.Password);
        var payroll = OidcScenario.CodeRequest("payroll", "https://payroll.test/cb", "openid", Pkce.Create());
        var silent = new Dictionary<string, string?>(payroll) { ["prompt"] = "none" };

        var bobSilently = await browser.GetAsync(OidcScenario.AuthorizeUrl(silent));
        var carolSilently = await carol.GetAsync(OidcScenario.AuthorizeUrl(silent));
        var carolStepUp = await SecondFactorScenario.FollowAsync(carol, await carol.GetAsync(OidcScenario.AuthorizeUrl(payroll)));

        Assert.True(OidcScenario.CallbackParameters(bobSilently.Headers.Location!).ContainsKey("code"));
        Assert.Equal("interaction_required", OidcScenario.CallbackParameters(carolSilently.Headers.Location!)["error"]);
        Assert.Equal(HttpStatusCode.OK, carolStepUp.StatusCode);
        Assert.Contains("Set up your authenticator", await carolStepUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdministratorClearsTheLockFromTheCommandLine()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, SecondFactorScenario.Settings(("Otp:Retries", "1"), ("Otp:MaxFailures", "1")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();
        var wrong = SecondFactorScenario.CodeAt(oidc.Host, stepOffset: 20);
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, wrong);
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, wrong);
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var locked = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));

        var cli = await new Cli.CliRunner(oidc.Inner.Database, extra: SecondFactorScenario.Settings()).RunAsync("users", "unlock-otp", "alice");
        var unknown = await new Cli.CliRunner(oidc.Inner.Database, extra: SecondFactorScenario.Settings()).RunAsync("users", "unlock-otp", "nobody");
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var unlocked = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));

        Assert.Equal("/account/login", locked.Headers.Location!.OriginalString);
        Assert.Equal((0, "Cleared the second-factor lock of 'alice'."), (cli.ExitCode, cli.Output.Trim()));
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("/account", unlocked.Headers.Location!.OriginalString);
    }
}
