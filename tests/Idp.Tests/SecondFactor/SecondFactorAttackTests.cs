using System.Net;
using Idp.Persistence.Entities;
using Idp.Tests.Oidc;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Tests.SecondFactor;

/// <summary>
/// What someone who knows only the password (or holds a planted cookie) tries against the second factor, each
/// attack as an outsider sends it over HTTP. Every test here failed on the code before the guarded path.
/// </summary>
public sealed class SecondFactorAttackTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AFirstDeviceSavedWhileThePasswordIsBeingHashed_IsAskedFor(DatabaseKind kind)
    {
        // The account and its devices are read in one round trip before the hash (#13): the decision must not rest
        // on that copy, or an attacker signing in as the person enrolls would get a session on the password alone.
        var hasher = new HookedPasswordHasher();
        await using var scenario = await Scenario.StartAsync(kind, services: s => s.AddSingleton<IPasswordHasher<IdpUser>>(hasher));
        await scenario.CreateUserAsync("alice", TestUsers.Password);
        hasher.DuringNextVerification(() => SecondFactorScenario.GiveDeviceAsync(scenario.Host, "alice"));

        var attacker = scenario.Host.CreateBrowser();
        var signIn = await scenario.SignInAsync(attacker, "alice", TestUsers.Password);
        var account = await attacker.GetAsync("/account");

        Assert.Equal("/account/2fa", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.Equal("/account/login", account.Headers.Location!.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ThePasswordAloneCannotOpenTheEnrollmentPageForAUserWhoHasADevice(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings());
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var attacker = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(attacker, "alice", OidcScenario.Password);
        var codePage = await HtmlForm.ParseAsync(await attacker.GetAsync("/account/2fa"));

        var offer = await attacker.GetAsync("/account/2fa/enroll");
        var posted = await attacker.PostAsync("/account/2fa/enroll", new FormUrlEncodedContent(HtmlForm.Fields(codePage, new Dictionary<string, string> { ["Name"] = "Mine", ["Code"] = "123456" })));

        // Both the page and its post send a plain sign-in back to the code page: nothing is offered, nothing saved.
        Assert.Equal("/account/2fa", offer.Headers.Location!.OriginalString);
        Assert.Equal("/account/2fa", posted.Headers.Location!.OriginalString);
        Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
        Assert.Equal(HttpStatusCode.Redirect, (await attacker.GetAsync("/account")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ACodeForAnUnknownDeviceIdIsAWrongCodeAndLeadsNowhereElse(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings());
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var attacker = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(attacker, "alice", OidcScenario.Password);

        var response = await HtmlForm.SubmitAsync(attacker, "/account/2fa", new Dictionary<string, string> { ["DeviceId"] = "not-a-device", ["Code"] = SecondFactorScenario.CodeAt(oidc.Host) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That code is not right", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await CountEventsAsync(oidc, "otp.failure"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task TwentyWrongCodesSentAtOnceOnOneCodePageAreCheckedAtMostRetriesTimes(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Retries", "3"), ("Otp:MaxFailures", "100")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var attacker = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(attacker, "alice", OidcScenario.Password);
        var page = await HtmlForm.ParseAsync(await attacker.GetAsync("/account/2fa"));
        var right = SecondFactorScenario.CodeAt(oidc.Host);
        var wrong = Enumerable.Range(0, 20).Select(i => (100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(c => c != right).Take(20).ToList();

        var responses = await Task.WhenAll(wrong.Select(code => attacker.PostAsync("/account/2fa", new FormUrlEncodedContent(HtmlForm.Fields(page, new Dictionary<string, string> { ["Code"] = code })))));

        // Checked: exactly Retries. The others were refused unchecked, or found the spent sign-in already gone.
        Assert.Equal(3, await CountEventsAsync(oidc, "otp.failure"));
        Assert.All(responses, r => Assert.NotEqual("/account", r.Headers.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.Redirect, (await attacker.GetAsync("/account/2fa")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task WrongFreshCodesAtTheRegistersPageLockSignInToo(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:MaxFailures", "3")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var stolen = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(stolen, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(stolen, SecondFactorScenario.CodeAt(oidc.Host));
        var deviceId = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Single().Id;
        var page = await HtmlForm.ParseAsync(await stolen.GetAsync("/2fregisters"));
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(30));
        var right = SecondFactorScenario.CodeAt(oidc.Host);

        var guesses = new List<HttpResponseMessage>();
        foreach (var guess in new[] { "111111", "222222", "333333", "444444" }.Where(g => g != right))
        {
            guesses.Add(await stolen.PostAsync("/2fregisters/remove", new FormUrlEncodedContent(HtmlForm.Fields(page, new Dictionary<string, string> { ["DeviceId"] = deviceId, ["Code"] = guess }, "form[action='/2fregisters/remove']"))));
        }

        var rightButLocked = await stolen.PostAsync("/2fregisters/remove", new FormUrlEncodedContent(HtmlForm.Fields(page, new Dictionary<string, string> { ["DeviceId"] = deviceId, ["Code"] = right }, "form[action='/2fregisters/remove']")));
        var owner = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(owner, "alice", OidcScenario.Password);
        var signIn = await SecondFactorScenario.SubmitCodeAsync(owner, right);

        Assert.All(guesses, g => Assert.Equal(HttpStatusCode.BadRequest, g.StatusCode));
        Assert.Contains("locked until", await rightButLocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
        Assert.Equal("/account/login", signIn.Headers.Location!.OriginalString);
        Assert.Equal(1, await CountEventsAsync(oidc, "otp.locked"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task APlantedSessionCookieDoesNotBecomeTheVictimsSession(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Off")));
        var attacker = oidc.Host.CreateBrowser();
        var planted = SessionCookie(await oidc.Inner.SignInAsync(attacker, "bob", OidcScenario.Password));
        var victim = oidc.Host.CreateBrowser(out var jar);

        // The victim's browser carries the attacker's session cookie (set by a sibling host, or over plain http).
        var (name, value) = (planted.Split('=', 2)[0], planted.Split('=', 2)[1]);
        jar.Add(new Cookie(name, value, "/", new Uri(IdpTestHost.BaseUrl).Host) { Secure = true, HttpOnly = true });
        var signedIn = await oidc.Inner.SignInAsync(victim, "alice", OidcScenario.Password);
        var victimCookie = SessionCookie(signedIn);
        var attackerAfter = await GetWithCookieAsync(oidc.Host.CreateBrowser(), "/account", planted);
        var victimAfter = await GetWithCookieAsync(oidc.Host.CreateBrowser(), "/account", victimCookie);

        Assert.NotEqual(planted, victimCookie);
        Assert.Equal(HttpStatusCode.Redirect, attackerAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, victimAfter.StatusCode);
        Assert.Contains("alice", await victimAfter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var scope = oidc.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Idp.Persistence.IdpDbContext>();
        var alice = await db.Users.SingleAsync(u => u.UserName == "alice");
        Assert.Equal(1, await db.UserSessions.CountAsync(s => s.UserId == alice.Id));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task StepUpWithACodeDoesNotSatisfyPromptLogin(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Off")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var stolen = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(stolen, "alice", OidcScenario.Password);
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(5));
        var request = new Dictionary<string, string?>(OidcScenario.CodeRequest(pkce: Pkce.Create())) { ["prompt"] = "login" };

        var toLogin = await stolen.GetAsync(OidcScenario.AuthorizeUrl(request));
        var location = toLogin.Headers.Location!.OriginalString;
        var resume = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location[location.IndexOf('?', StringComparison.Ordinal)..])["ReturnUrl"].ToString();
        var stepUp = await stolen.GetAsync($"/account/2fa/step-up?returnUrl={Uri.EscapeDataString(resume)}");
        var code = await SecondFactorScenario.SubmitCodeAsync(stolen, SecondFactorScenario.CodeAt(oidc.Host));
        var afterStepUp = await stolen.GetAsync(code.Headers.Location!.OriginalString);
        var freeStanding = await stolen.GetAsync("/account/2fa/step-up?returnUrl=%2Faccount");

        Assert.StartsWith("/account/login", toLogin.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("/account/2fa", stepUp.Headers.Location!.OriginalString);
        Assert.Equal(resume, code.Headers.Location!.OriginalString);
        // The code raised the level, not the time of authentication: prompt=login still wants the password.
        Assert.StartsWith("/account/login", afterStepUp.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("/account", freeStanding.Headers.Location!.OriginalString);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task TheSessionKeepsItsAmrAndAcrWhenTheSecurityStampIsCheckedAfterThirtyMinutes(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings());
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(31));
        var pkce = Pkce.Create();

        var registers = await browser.GetAsync("/2fregisters");
        var silent = await browser.GetAsync(OidcScenario.AuthorizeUrl(new Dictionary<string, string?>(OidcScenario.CodeRequest("payroll", "https://payroll.test/cb", "openid", pkce)) { ["prompt"] = "none" }));
        var tokens = await OidcScenario.JsonAsync(await oidc.RedeemAsync(OidcScenario.CallbackParameters(silent.Headers.Location!)["code"], pkce, "payroll", OidcClients.Shared, "https://payroll.test/cb"));
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, registers.StatusCode);
        Assert.Equal(["pwd", "otp", "mfa"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.Equal("urn:idp:acr:mfa", idToken.GetClaim("acr").Value);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task SigningInAgainAfterTheSecurityStampCheckIsDueKeepsTheNewSession(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Off")));
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var loginPage = await HtmlForm.ParseAsync(await browser.GetAsync("/account/login"));
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(31));

        // The request's own cookie handler wants to renew the old session here; the new one must win.
        var again = await browser.PostAsync("/account/login", new FormUrlEncodedContent(HtmlForm.Fields(loginPage, new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = OidcScenario.Password })));
        var account = await browser.GetAsync("/account");

        Assert.Equal("/account", again.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AnEnrollmentBegunByStepUpEndsAtSignOut_TheNextPersonAtTheBrowserCannotFinishIt(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Off")));
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var payroll = OidcScenario.CodeRequest("payroll", "https://payroll.test/cb", "openid", Pkce.Create());
        var enroll = await SecondFactorScenario.FollowAsync(browser, await browser.GetAsync(OidcScenario.AuthorizeUrl(payroll)));
        var logoutPage = await HtmlForm.ParseAsync(await browser.GetAsync("/account/logout"));

        await browser.PostAsync("/account/logout", new FormUrlEncodedContent(HtmlForm.Fields(logoutPage)));
        var afterSignOut = await browser.GetAsync("/account/2fa/enroll");

        Assert.Contains("Set up your authenticator", await enroll.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/account/login?notice=2fa-timeout", afterSignOut.Headers.Location!.OriginalString);
        Assert.Empty(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
    }

    private static Task<int> CountEventsAsync(OidcScenario oidc, string type) => TestAudit.CountAsync(oidc.Host.Services, type);

    private static string SessionCookie(HttpResponseMessage response)
        => response.Headers.GetValues("Set-Cookie").Single(c => (c.StartsWith("__Host-idp.session=", StringComparison.Ordinal) || c.StartsWith("idp.session=", StringComparison.Ordinal)) && !c.Contains("=;", StringComparison.Ordinal)).Split(';')[0];

    private static Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }
}
