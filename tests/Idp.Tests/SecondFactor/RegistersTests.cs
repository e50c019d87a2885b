using System.Net;
using Idp.Tests.Oidc;

namespace Idp.Tests.SecondFactor;

/// <summary>/2fregisters: the signed-in person's devices.</summary>
public sealed class RegistersTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AUserAddsASecondDeviceRenamesItAndRemovesTheFirstAfterAFreshCode(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Old phone");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));

        var list = await browser.GetStringAsync("/2fregisters");
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(30));
        var addWithoutCode = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string>(), "form[action='/2fregisters/add']");
        var add = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["Code"] = SecondFactorScenario.CodeAt(oidc.Host) }, "form[action='/2fregisters/add']");
        var seed = await SecondFactorScenario.ReadOfferedKeyAsync(browser);
        var enrolled = await HtmlForm.SubmitAsync(browser, "/account/2fa/enroll", new Dictionary<string, string> { ["Name"] = "New phone", ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed) });
        var devices = await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice");
        var newId = devices.Single(d => d.Name == "New phone").Id;
        var oldId = devices.Single(d => d.Name == "Old phone").Id;
        var renamed = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["DeviceId"] = newId, ["Name"] = "Pixel" }, "form[action='/2fregisters/rename']");
        var wrongCode = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["DeviceId"] = oldId, ["Code"] = "000000" == SecondFactorScenario.CodeAt(oidc.Host, seed) ? "000001" : "000000" }, "form[action='/2fregisters/remove']");
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(30));
        var vouchedByTheNewDevice = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["DeviceId"] = oldId, ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed) }, "form[action='/2fregisters/remove']");
        var removed = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["DeviceId"] = oldId, ["Code"] = SecondFactorScenario.CodeAt(oidc.Host) }, "form[action='/2fregisters/remove']");

        Assert.Contains("Old phone", list, StringComparison.Ordinal);
        Assert.DoesNotContain("GEZDGNBV", list, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.BadRequest, addWithoutCode.StatusCode);
        Assert.Equal("/account/2fa/enroll", add.Headers.Location!.OriginalString);
        Assert.Equal("/2fregisters", enrolled.Headers.Location!.OriginalString);
        Assert.Contains("Renamed to Pixel.", await renamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongCode.StatusCode);
        // A device registered in this session does not vouch for another one (a stolen session adding its own).
        Assert.Equal(HttpStatusCode.BadRequest, vouchedByTheNewDevice.StatusCode);
        Assert.Contains("Removed Old phone.", await removed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["Pixel"], (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Select(d => d.Name));
    }

    [Theory]
    [InlineData("Bad/name", "only letters, digits")]
    [InlineData("PHONE", "already have a device with this name")]
    public async Task RenamingToABadOrDuplicateNameIsRefused(string name, string expected)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Phone");
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Tablet");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        var tablet = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Single(d => d.Name == "Tablet").Id;

        var response = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["DeviceId"] = tablet, ["Name"] = name }, "form[action='/2fregisters/rename']");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains("Tablet", (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Select(d => d.Name));
    }

    [Fact]
    public async Task APasswordOnlySessionCannotAddADeviceToAnAccountThatHasOne()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, SecondFactorScenario.Settings(("Otp:Activation", "Off")));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);

        var add = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["Code"] = "123456" == SecondFactorScenario.CodeAt(oidc.Host) ? "654321" : "123456" }, "form[action='/2fregisters/add']");

        Assert.Equal(HttpStatusCode.BadRequest, add.StatusCode);
        Assert.Contains("That code is not right; no device was added.", await add.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRegistersPageNeedsASession()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.Host.CreateBrowser().GetAsync("/2fregisters");

        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task DisplayExistingSecret_ShowsADevicesKeyAfterAFreshCode_OnlyWhenTurnedOn(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:DisplayExistingSecret", "true")));
        await using var off = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = await SignedInWithDeviceAsync(oidc);
        var offBrowser = await SignedInWithDeviceAsync(off);
        var deviceId = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Single().Id;
        var offDeviceId = (await SecondFactorScenario.DevicesOfAsync(off.Host, "alice")).Single().Id;

        var registers = await HtmlForm.ParseAsync(await browser.GetAsync("/2fregisters"));
        var page = await HtmlForm.ParseAsync(await browser.GetAsync("/2fregisters/otp"));
        var wrong = await HtmlForm.SubmitAsync(browser, "/2fregisters/otp", new Dictionary<string, string> { ["DeviceId"] = deviceId, ["Code"] = WrongCode(oidc) }, "form[action='/2fregisters/otp/showkey']");
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(30));
        var shown = await HtmlForm.SubmitAsync(browser, "/2fregisters/otp", new Dictionary<string, string> { ["DeviceId"] = deviceId, ["Code"] = SecondFactorScenario.CodeAt(oidc.Host) }, "form[action='/2fregisters/otp/showkey']");
        var shownPage = await HtmlForm.ParseAsync(shown);
        var offRegisters = await HtmlForm.ParseAsync(await offBrowser.GetAsync("/2fregisters"));
        var offPage = await HtmlForm.ParseAsync(await offBrowser.GetAsync("/2fregisters/otp"));
        off.Host.Time.Advance(TimeSpan.FromSeconds(30));
        var offPost = await offBrowser.PostAsync("/2fregisters/otp/showkey", new FormUrlEncodedContent(HtmlForm.Fields(offRegisters, new Dictionary<string, string> { ["DeviceId"] = offDeviceId, ["Code"] = SecondFactorScenario.CodeAt(off.Host) })));

        Assert.NotNull(registers.QuerySelector("a[href='/2fregisters/otp']"));
        Assert.NotNull(page.QuerySelector("label[for=show-code]"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.DoesNotContain("GEZD", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ", shownPage.QuerySelector("#shown-key")!.TextContent);
        Assert.StartsWith("otpauth://totp/", shownPage.QuerySelector("#shown-key-title ~ p a")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.True(shown.Headers.CacheControl!.NoStore);
        Assert.Null(offRegisters.QuerySelector("a[href='/2fregisters/otp']"));
        Assert.Null(offPage.QuerySelector("form[action='/2fregisters/otp/showkey']"));
        Assert.Equal(HttpStatusCode.BadRequest, offPost.StatusCode);
        Assert.Contains("turned off", await offPost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task UserCanChangeKey_ADeviceGetsANewKeyAfterAFreshCode_TheOldKeyStopsWorking(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:UserCanChangeKey", "true")));
        var browser = await SignedInWithDeviceAsync(oidc);
        var before = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Single();
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(30));

        var change = await HtmlForm.SubmitAsync(browser, "/2fregisters/otp", new Dictionary<string, string> { ["DeviceId"] = before.Id, ["Code"] = SecondFactorScenario.CodeAt(oidc.Host) }, "form[action='/2fregisters/otp/changekey']");
        var enrollPage = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa/enroll"));
        var seed = await SecondFactorScenario.ReadOfferedKeyAsync(browser);
        var saved = await HtmlForm.SubmitAsync(browser, "/account/2fa/enroll", new Dictionary<string, string> { ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed) });
        var after = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Single();
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(60));
        var oldKey = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(oldKey, "alice", OidcScenario.Password);
        var refused = await SecondFactorScenario.SubmitCodeAsync(oldKey, SecondFactorScenario.CodeAt(oidc.Host));
        var newKey = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(newKey, "alice", OidcScenario.Password);
        var accepted = await SecondFactorScenario.SubmitCodeAsync(newKey, SecondFactorScenario.CodeAt(oidc.Host, seed));

        Assert.Equal("/account/2fa/enroll", change.Headers.Location!.OriginalString);
        Assert.Equal("A new key for your device", enrollPage.QuerySelector("h1")!.TextContent);
        Assert.Null(enrollPage.QuerySelector("#name"));
        Assert.Equal("/2fregisters", saved.Headers.Location!.OriginalString);
        Assert.Equal((before.Id, before.Name), (after.Id, after.Name));
        Assert.NotEqual(before.Secret, after.Secret);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal("/account", accepted.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task UserCanChangeKey_Off_ByDefault_Refused()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = await SignedInWithDeviceAsync(oidc);
        var page = await HtmlForm.ParseAsync(await browser.GetAsync("/2fregisters/otp"));
        var deviceId = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Single().Id;
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(30));

        var refused = await browser.PostAsync("/2fregisters/otp/changekey", new FormUrlEncodedContent(HtmlForm.Fields(await HtmlForm.ParseAsync(await browser.GetAsync("/2fregisters")), new Dictionary<string, string> { ["DeviceId"] = deviceId, ["Code"] = SecondFactorScenario.CodeAt(oidc.Host) })));

        Assert.Null(page.QuerySelector("form[action='/2fregisters/otp/changekey']"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("turned off", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpClient> SignedInWithDeviceAsync(OidcScenario oidc)
    {
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        return browser;
    }

    private static string WrongCode(OidcScenario oidc)
    {
        var near = Enumerable.Range(-2, 5).Select(o => SecondFactorScenario.CodeAt(oidc.Host, stepOffset: o)).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("000000", System.Globalization.CultureInfo.InvariantCulture)).First(c => !near.Contains(c));
    }
}
