using System.Net;
using Idp.SecondFactors;
using Idp.Tests.Oidc;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Tests.SecondFactor;

/// <summary>The seam's test: a kind of factor registered from here, with no change to src/Idp, signs people in.</summary>
public sealed class AnyFactorTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AFactorKindUnknownToTheCoreSignsInGivesMfaTokensAndOpensTheAdminArea(DatabaseKind kind)
    {
        var fake = new FakeKeyFactor();
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(), services => services.TryAddEnumerable(ServiceDescriptor.Singleton<ISecondFactorMethod>(fake)));
        var carol = await oidc.Inner.CreateUserAsync("carol", OidcScenario.Password);
        var root = await oidc.Inner.CreateUserAsync("root", OidcScenario.Password);
        await using (var scope = oidc.Host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Idp.Persistence.Entities.IdpUser>>();
            Assert.True((await users.AddToRoleAsync((await users.FindByIdAsync(root.Id))!, "admin")).Succeeded);
        }

        fake.Give(carol.Id, "Blue key", "blue-424242", oidc.Host.Time.GetUtcNow().AddDays(-1));
        fake.Give(root.Id, "Red key", "red-737373", oidc.Host.Time.GetUtcNow().AddDays(-1));
        var browser = oidc.Host.CreateBrowser();
        var pkce = Pkce.Create();

        var toLogin = await browser.GetAsync(OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest("payroll", "https://payroll.test/cb", "openid", pkce)));
        var password = await HtmlForm.SubmitAsync(browser, toLogin.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Login"] = "carol", ["Password"] = OidcScenario.Password });
        var codePage = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa"));
        var accepted = await SecondFactorScenario.SubmitCodeAsync(browser, "blue-424242");
        var callback = await SecondFactorScenario.FollowAsync(browser, accepted);
        var tokens = await OidcScenario.JsonAsync(await oidc.RedeemAsync(OidcScenario.CallbackParameters(callback.Headers.Location!)["code"], pkce, "payroll", OidcClients.Shared, "https://payroll.test/cb"));
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString()!);
        var registers = await HtmlForm.ParseAsync(await browser.GetAsync("/2fregisters"));
        var replay = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(replay, "carol", OidcScenario.Password);
        var replayed = await SecondFactorScenario.SubmitCodeAsync(replay, "blue-424242");
        var admin = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(admin, "root", OidcScenario.Password);
        var adminSignedIn = await SecondFactorScenario.SubmitCodeAsync(admin, "red-737373");
        var adminPage = await admin.GetAsync("/admin");

        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.Contains("Blue key", codePage.QuerySelector("form")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Fake key", codePage.Body!.TextContent, StringComparison.Ordinal);
        Assert.True(fake.ChallengesStarted >= 1);
        // The /2fregisters shell lists credentials of a kind it has never heard of, with the kind's label.
        Assert.Contains("Blue key", registers.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Fake key", registers.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["pwd", FakeKeyFactor.Amr, "mfa"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.Equal("urn:idp:acr:mfa", idToken.GetClaim("acr").Value);
        Assert.Contains("already used", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/account", adminSignedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, adminPage.StatusCode);
    }
}
