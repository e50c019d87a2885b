using System.Net;
using Idp.Tests.Oidc;

namespace Idp.Tests.SecondFactor;

/// <summary>Attacks on /2fregisters and the enrollment it opens, sent as an outsider holding a session would.</summary>
public sealed class RegistersAttackTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OneConfirmationCodeSentThreeTimesAtOnceAddsOneDevice(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Phone");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(30));
        await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["Code"] = SecondFactorScenario.CodeAt(oidc.Host) }, "form[action='/2fregisters/add']");
        var seed = await SecondFactorScenario.ReadOfferedKeyAsync(browser);
        var page = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa/enroll"));
        var code = SecondFactorScenario.CodeAt(oidc.Host, seed);

        await Task.WhenAll(new[] { "One", "Two", "Three" }.Select(name => browser.PostAsync("/account/2fa/enroll", new FormUrlEncodedContent(HtmlForm.Fields(page, new Dictionary<string, string> { ["Name"] = name, ["Code"] = code })))));

        Assert.Equal(2, (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Count);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task WhereASecondFactorIsRequiredTheLastDeviceStays_AndNoCodeIsSpentOnTheRefusal(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Required")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Phone");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        var deviceId = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Single().Id;
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(30));
        var fresh = SecondFactorScenario.CodeAt(oidc.Host);

        var refused = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["DeviceId"] = deviceId, ["Code"] = fresh }, "form[action='/2fregisters/remove']");
        var other = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(other, "alice", OidcScenario.Password);
        var codeStillFresh = await SecondFactorScenario.SubmitCodeAsync(other, fresh);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("This is your last device", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
        Assert.Equal("/account", codeStillFresh.Headers.Location!.OriginalString);
    }
}
