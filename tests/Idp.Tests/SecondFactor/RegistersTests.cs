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
        var add = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string>(), "form[action='/2fregisters/add']");
        var seed = await SecondFactorScenario.ReadOfferedKeyAsync(browser);
        var enrolled = await HtmlForm.SubmitAsync(browser, "/account/2fa/enroll", new Dictionary<string, string> { ["Name"] = "New phone", ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed) });
        var devices = await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice");
        var newId = devices.Single(d => d.Name == "New phone").Id;
        var oldId = devices.Single(d => d.Name == "Old phone").Id;
        var renamed = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["DeviceId"] = newId, ["Name"] = "Pixel" }, "form[action='/2fregisters/rename']");
        var wrongCode = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["DeviceId"] = oldId, ["Code"] = "000000" == SecondFactorScenario.CodeAt(oidc.Host, seed) ? "000001" : "000000" }, "form[action='/2fregisters/remove']");
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(30));
        var removed = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string> { ["DeviceId"] = oldId, ["Code"] = SecondFactorScenario.CodeAt(oidc.Host, seed) }, "form[action='/2fregisters/remove']");

        Assert.Contains("Old phone", list, StringComparison.Ordinal);
        Assert.DoesNotContain("GEZDGNBV", list, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/account/2fa/enroll", add.Headers.Location!.OriginalString);
        Assert.Equal("/2fregisters", enrolled.Headers.Location!.OriginalString);
        Assert.Contains("Renamed to Pixel.", await renamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongCode.StatusCode);
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

        var add = await HtmlForm.SubmitAsync(browser, "/2fregisters", new Dictionary<string, string>(), "form[action='/2fregisters/add']");

        Assert.Equal(HttpStatusCode.BadRequest, add.StatusCode);
        Assert.Contains("Sign in with your current device first", await add.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRegistersPageNeedsASession()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.Host.CreateBrowser().GetAsync("/2fregisters");

        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }
}
