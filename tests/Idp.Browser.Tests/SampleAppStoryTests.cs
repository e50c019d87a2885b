using Idp.Browser.Tests.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Idp.Browser.Tests;

/// <summary>
/// samples/Idp.Sample, a relying party built on ASP.NET Core's OpenID Connect handler, end to end in Chromium: sign in
/// through Idp (password, then a code), its page shows amr (otp, mfa) and acr, its API accepts the access token, and
/// RP-initiated logout ends the session at Idp too.
/// </summary>
public sealed class SampleAppStoryTests
{
    private const string Password = BrowserUsers.Password;

    [Fact]
    public async Task TheSample_SignsInWithASecondFactor_ShowsAmrAndAcr_CallsItsApi_AndSignsOutAtIdp()
    {
        using var sampleSocket = LoopbackListenSocket.Bind();
        var sampleUrl = new Uri(sampleSocket.Url + "/");
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await IdpServerHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Idp:Clients:0:ClientId"] = "sample",
            ["Idp:Clients:0:ClientSecrets:0"] = "sample-secret-0123456789abcdef",
            ["Idp:Clients:0:RedirectUris:0"] = new Uri(sampleUrl, "signin-oidc").ToString(),
            ["Idp:Clients:0:PostLogoutRedirectUris:0"] = new Uri(sampleUrl, "signout-callback-oidc").ToString(),
            ["Idp:Clients:0:AllowedScopes:0"] = "openid",
            ["Idp:Clients:0:AllowedScopes:1"] = "profile",
            ["Idp:Clients:0:AllowedScopes:2"] = "email",
            ["Idp:Clients:0:AllowedGrantTypes:0"] = "authorization_code",
            ["Idp:Clients:0:RequireSecondFactor"] = "true",
        });
        await BrowserUsers.CreateAsync(server, "ada", phone: true);
        var sampleLogs = new CapturingLoggerProvider();
        await using var sample = Sample.SampleApp.Build(["--urls", sampleSocket.Url], builder =>
        {
            builder.WebHost.UseSockets(sampleSocket.HandTo);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Idp:Authority"] = server.BaseUrl.ToString().TrimEnd('/'),
                ["Idp:ClientId"] = "sample",
                ["Idp:ClientSecret"] = "sample-secret-0123456789abcdef",
                ["Idp:RequireHttpsMetadata"] = "false",
            });
            builder.Logging.AddProvider(sampleLogs);
        });
        await sample.StartAsync();
        await using var session = await BrowserSession.StartAsync(nameof(SampleAppStoryTests));
        var page = session.Page;

        var app = new SampleAppPage(page);
        await page.GotoAsync(sampleUrl.ToString());
        await app.SignInAsync();
        await new LoginPage(page).SignInAsync("ada", Password);
        await new CodePage(page).EnterAsync(TestOtp.CodeAt(DateTimeOffset.UtcNow));
        await page.WaitForLoadStateAsync();
        Assert.True(await app.SignedInHeading.IsVisibleAsync(), string.Join("\n", sampleLogs.Lines.Where(l => l.Contains("Error", StringComparison.OrdinalIgnoreCase) || l.Contains("xception", StringComparison.Ordinal)).Take(5)));
        await session.ScreenshotAsync("1-claims");

        var amr = await app.ClaimAsync("amr");
        Assert.Contains("otp", amr);
        Assert.Contains("mfa", amr);
        Assert.False(string.IsNullOrEmpty(Assert.Single(await app.ClaimAsync("acr"))));

        await app.CallTheApiAsync();
        await Assertions.Expect(app.ApiAnsweredHeading).ToBeVisibleAsync();
        Assert.Contains("\"amr\":[", await app.ApiAnswer.InnerTextAsync(), StringComparison.Ordinal);
        await session.ScreenshotAsync("2-api");

        await page.GotoAsync(sampleUrl.ToString());
        await app.SignOutAsync();
        await Assertions.Expect(app.SignInLink).ToBeVisibleAsync();
        // Signed out at Idp too: signing in again asks for the password.
        await app.SignInAsync();
        await Assertions.Expect(new LoginPage(page).Password).ToBeVisibleAsync();
        await session.ScreenshotAsync("3-signed-out");
        await sample.StopAsync();
    }
}
