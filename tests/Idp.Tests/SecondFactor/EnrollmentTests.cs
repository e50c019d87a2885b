using System.Net;
using Idp.Audit;
using Idp.Tests.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Tests.SecondFactor;

/// <summary>Forced enrollment by QR code when a second factor is required and the user has none.</summary>
public sealed class EnrollmentTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task UserWithoutADeviceIsMadeToEnrollBeforeReachingTheApp(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Required")));
        var browser = oidc.Host.CreateBrowser();
        var pkce = Pkce.Create();

        var toLogin = await browser.GetAsync(OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(pkce: pkce)));
        var password = await HtmlForm.SubmitAsync(browser, toLogin.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = OidcScenario.Password });
        var page = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa/enroll"));
        var seed = await SecondFactorScenario.ReadOfferedKeyAsync(browser);
        var beforeSaving = await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice");
        var enrolled = await HtmlForm.SubmitAsync(browser, "/account/2fa/enroll", new Dictionary<string, string> { ["Name"] = "Work phone", ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed) });
        var callback = await SecondFactorScenario.FollowAsync(browser, enrolled);
        var tokens = await OidcScenario.JsonAsync(await oidc.RedeemAsync(OidcScenario.CallbackParameters(callback.Headers.Location!)["code"], pkce));
        var device = Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));

        Assert.Equal("/account/2fa/enroll", password.Headers.Location!.OriginalString);
        Assert.NotNull(page.QuerySelector("figure.qr svg"));
        Assert.StartsWith("otpauth://totp/idp.test:alice?secret=", page.QuerySelector("a[href^='otpauth:']")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("MyTOTP", page.QuerySelector("#name")!.GetAttribute("value"));
        Assert.Equal("one-time-code", page.QuerySelector("#code")!.GetAttribute("autocomplete"));
        Assert.Empty(beforeSaving);
        Assert.Equal(20, seed.Length);
        Assert.Equal("Work phone", device.Name);
        Assert.Contains("otp", new JsonWebToken(tokens.GetProperty("id_token").GetString()!).Claims.Where(c => c.Type == "amr").Select(c => c.Value));
    }

    [Fact]
    public async Task AnAbandonedEnrollmentSavesNothingAndTheSeedNeverComesFromTheForm()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, SecondFactorScenario.Settings(("Otp:Activation", "Required")));
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var offered = await SecondFactorScenario.ReadOfferedKeyAsync(browser);
        var reloaded = await SecondFactorScenario.ReadOfferedKeyAsync(browser);
        var page = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa/enroll"));

        Assert.Equal(offered, reloaded);
        Assert.Null(page.QuerySelector("input[name*=ecret]"));
        Assert.Empty(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
    }

    [Theory]
    [InlineData("Phone/1", "only letters, digits")]
    [InlineData("A name that is far too long", "at most 20 characters")]
    [InlineData("", "Give the device a name.")]
    public async Task BadDeviceNamesAreRefusedAndNothingIsSaved(string name, string expected)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, SecondFactorScenario.Settings(("Otp:Activation", "Required")));
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var seed = await SecondFactorScenario.ReadOfferedKeyAsync(browser);

        var response = await HtmlForm.SubmitAsync(browser, "/account/2fa/enroll", new Dictionary<string, string> { ["Name"] = name, ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Empty(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
    }

    [Fact]
    public async Task AWrongFirstCodeSavesNothing()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, SecondFactorScenario.Settings(("Otp:Activation", "Required")));
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var seed = await SecondFactorScenario.ReadOfferedKeyAsync(browser);

        var response = await HtmlForm.SubmitAsync(browser, "/account/2fa/enroll", new Dictionary<string, string> { ["Name"] = "Phone", ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed, stepOffset: 5) });

        Assert.Contains("does not match the new key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
    }

    [Fact]
    public async Task ASecondTabFinishingTheSameEnrollmentSavesOneDevice()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, SecondFactorScenario.Settings(("Otp:Activation", "Required")));
        var (_, tabs) = await TwoTabsFinishTheSameEnrollmentAsync(oidc);

        Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
        Assert.Contains(tabs, t => t.Headers.Location?.OriginalString == "/account");
    }

    [Fact]
    public async Task ATabThatLosesTheEnrollmentWhileTheWinnerIsStillSavingLeavesTheWinnerToFinish()
    {
        var gate = new HeldEnrollmentFlow.Gate();
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, SecondFactorScenario.Settings(("Otp:Activation", "Required")), services => services
            .AddSingleton(gate).AddScoped<Idp.SecondFactors.IEnrollmentFlow, HeldEnrollmentFlow>());
        var (browser, tabs) = await TwoTabsFinishTheSameEnrollmentAsync(oidc, gate);

        Assert.True(gate.LoserAnswered.Task.IsCompletedSuccessfully);
        Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
        Assert.Equal(["/account", "/account/login"], tabs.Select(t => t.Headers.Location?.OriginalString).Order());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account")).StatusCode);
        // The audit trail tells the truth: one code enrolled the device, the other tab's copy of it did not.
        Assert.Single(await Hardening.HardeningDb.AuditAsync(oidc.Host.Services, AuditEventTypes.OtpSucceeded));
        Assert.Single(await Hardening.HardeningDb.AuditAsync(oidc.Host.Services, AuditEventTypes.OtpReplayed));
    }

    /// <summary>
    /// A claim names the seed its code was checked against. Once a seed is claimed, the row is open to a new one (a tab
    /// that loads the page again), and a request that checked the old seed must not take the new one in its place:
    /// before, any seed on the row could be claimed.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AnEnrollmentIsClaimedOnlyWithTheSeedItsCodeWasCheckedAgainst(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Required")));
        var password = await oidc.Inner.SignInAsync(oidc.Host.CreateBrowser(), "alice", OidcScenario.Password);
        Assert.Equal("/account/2fa/enroll", password.Headers.Location!.OriginalString);
        await using var scope = oidc.Host.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<Idp.Persistence.IdpDbContext>().PendingSignIns.Select(p => p.Id).SingleAsync();
        var store = scope.ServiceProvider.GetRequiredService<Idp.Accounts.SecondFactor.IPendingSignInStore>();

        var first = await store.EnsureEnrollmentSecretAsync(id, "seed-1", CancellationToken.None);
        var withAnotherSeed = await store.TryClaimEnrollmentAsync(id, "seed-2", CancellationToken.None);
        var withItsSeed = await store.TryClaimEnrollmentAsync(id, "seed-1", CancellationToken.None);
        var second = await store.EnsureEnrollmentSecretAsync(id, "seed-2", CancellationToken.None);
        var staleAfterANewSeed = await store.TryClaimEnrollmentAsync(id, "seed-1", CancellationToken.None);
        var theNewSeed = await store.TryClaimEnrollmentAsync(id, "seed-2", CancellationToken.None);

        Assert.Equal(("seed-1", "seed-2"), (first, second));
        Assert.Equal((false, true), (withAnotherSeed, withItsSeed));
        Assert.Equal((false, true), (staleAfterANewSeed, theNewSeed));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AnExpiredDeviceNoLongerSignsIn_ButItsCodeWithinTheGracePeriodOpensTheEnrollmentOfANewOne(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Required"), ("Otp:Ttl", "86400")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Old phone");
        oidc.Host.Time.Advance(TimeSpan.FromDays(2));
        var browser = oidc.Host.CreateBrowser();

        var password = await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var codePage = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa"));
        var enrollBeforeProof = await browser.GetAsync("/account/2fa/enroll");
        var proved = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        var enroll = await browser.GetStringAsync("/account/2fa/enroll");
        var seed = await SecondFactorScenario.ReadOfferedKeyAsync(browser);
        var enrolled = await HtmlForm.SubmitAsync(browser, "/account/2fa/enroll", new Dictionary<string, string> { ["Name"] = "New phone", ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed) });

        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.NotNull(codePage.QuerySelector("#expired-notice"));
        Assert.Equal("/account/2fa", enrollBeforeProof.Headers.Location!.OriginalString);
        Assert.Equal("/account/2fa/enroll", proved.Headers.Location!.OriginalString);
        Assert.Contains("Your device Old phone has expired", enroll, StringComparison.Ordinal);
        Assert.Equal("/account", enrolled.Headers.Location!.OriginalString);
        Assert.Equal(["Old phone", "New phone"], (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Select(d => d.Name));
    }

    [Fact]
    public async Task PastTheGracePeriod_ThePasswordAloneCannotEnrollAndTheUserIsSentToAnAdministrator()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, SecondFactorScenario.Settings(("Otp:Activation", "Required"), ("Otp:Ttl", "86400"), ("Otp:ExpiredGracePeriod", "1.00:00:00")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Old phone");
        oidc.Host.Time.Advance(TimeSpan.FromDays(3));
        var browser = oidc.Host.CreateBrowser();

        var password = await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var enroll = await browser.GetAsync("/account/2fa/enroll");
        var code = await browser.GetAsync("/account/2fa");

        Assert.Equal(HttpStatusCode.OK, password.StatusCode);
        Assert.Contains("Ask an administrator", (await HtmlForm.ParseAsync(password)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("/account/login?notice=2fa-timeout", enroll.Headers.Location!.OriginalString);
        Assert.Equal("/account/login?notice=2fa-timeout", code.Headers.Location!.OriginalString);
        Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task WhenTheSecondFactorIsOptional_AnExpiredDeviceIsToldAndThePasswordAloneGoesOn(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Enrolled"), ("Otp:Ttl", "86400")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Old phone");
        oidc.Host.Time.Advance(TimeSpan.FromDays(2));
        var browser = oidc.Host.CreateBrowser();

        var password = await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password, returnUrl: "/2fregisters");
        var notice = await HtmlForm.ParseAsync(await browser.GetAsync(password.Headers.Location!.OriginalString));
        var account = await browser.GetAsync("/account");

        Assert.Equal("/account/2fa/expired?returnUrl=%2F2fregisters", password.Headers.Location!.OriginalString);
        Assert.Contains("Your device Old phone has expired", notice.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(notice.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/2fregisters" && a.TextContent == "Continue without");
        Assert.Equal(System.Net.HttpStatusCode.OK, account.StatusCode);
    }

    /// <summary>Alice, after her password, posts the same right first code from two tabs at once.</summary>
    private static async Task<(HttpClient Browser, HttpResponseMessage[] Tabs)> TwoTabsFinishTheSameEnrollmentAsync(OidcScenario oidc, HeldEnrollmentFlow.Gate? gate = null)
    {
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var seed = await SecondFactorScenario.ReadOfferedKeyAsync(browser);
        var page = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa/enroll"));
        var form = HtmlForm.Fields(page, new Dictionary<string, string> { ["Name"] = "Phone", ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed) });
        gate?.Arm();
        var tabs = await Task.WhenAll(browser.PostAsync("/account/2fa/enroll", new FormUrlEncodedContent(form)), browser.PostAsync("/account/2fa/enroll", new FormUrlEncodedContent(form)));
        return (browser, tabs);
    }
}
