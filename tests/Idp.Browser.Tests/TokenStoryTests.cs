using Idp.Browser.Tests.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Browser.Tests;

/// <summary>
/// A hardware token from delivery to resynchronisation, in Chromium: an administrator uploads the vendor's PSKC file
/// (RFC 6030 Figure 6, secrets under a pre-shared key) in /admin, assigns the token, the holder signs in with its
/// codes (RFC 4226 Appendix D's 8-digit values), the administrator disables it, enables it again, and resynchronises
/// it after it ran ahead of the look-ahead window.
/// </summary>
public sealed class TokenStoryTests
{
    private const string Password = BrowserUsers.Password;

    /// <summary>RFC 4226 Appendix D, the low eight digits of "Truncated", counters 0 to 8.</summary>
    private static readonly string[] Codes = ["84755224", "94287082", "37359152", "26969429", "40338314", "68254676", "18287922", "82162583", "73399871"];

    [Fact]
    public async Task AdminUploadsAssignsDisablesAndResyncs_TheHolderSignsInWithTheTokensCodes()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        // A narrow look-ahead (2), so that a token pressed a few times away from Idp needs resynchronising.
        await using var server = await IdpServerHost.StartAsync(database, new Dictionary<string, string?> { ["Otp:HotpLookAhead"] = "2" });
        await BrowserUsers.CreateAsync(server, "ada", admin: true, phone: true);
        await BrowserUsers.CreateAsync(server, "gus");
        await using var ada = await BrowserSession.StartAsync(nameof(TokenStoryTests) + "-ada");
        await using var gus = await BrowserSession.StartAsync(nameof(TokenStoryTests) + "-gus");

        // Ada signs in with her password and her phone's code.
        await ada.Page.GotoAsync(new Uri(server.BaseUrl, "account/login").ToString());
        await new LoginPage(ada.Page).SignInAsync("ada", Password);
        await new CodePage(ada.Page).EnterAsync(TestOtp.CodeAt(DateTimeOffset.UtcNow));

        var tokens = new TokensPage(ada.Page, server.BaseUrl);
        await tokens.UploadAsync(Path.Combine(AppContext.BaseDirectory, "Tokens", "figure6.xml"), "12345678901234567890123456789012");
        await Assertions.Expect(tokens.Status).ToContainTextAsync("Imported 1 token(s)");
        await ada.ScreenshotAsync("1-imported");
        await tokens.OpenAsync("987654321");
        await tokens.AssignAsync("gus", "delivered by courier");
        await Assertions.Expect(tokens.Status).ToContainTextAsync("Assigned the token 987654321 to 'gus'.");
        await ada.ScreenshotAsync("2-assigned");

        await SignInAsync(gus.Page, server, Codes[0]);
        await Assertions.Expect(gus.Page).ToHaveURLAsync(new Uri(server.BaseUrl, "account").ToString());

        await tokens.SetStateAsync("Disable the token", "reported lost");
        await Assertions.Expect(tokens.State).ToHaveTextAsync("assigned, disabled");
        await using (var later = await BrowserSession.StartAsync(nameof(TokenStoryTests) + "-gus-disabled"))
        {
            await later.Page.GotoAsync(new Uri(server.BaseUrl, "account/login").ToString());
            await new LoginPage(later.Page).SignInAsync("gus", Password);
            await Assertions.Expect(new LoginPage(later.Page).Error).ToContainTextAsync("Your second factor is disabled");
            await later.ScreenshotAsync("3-refused-while-disabled");
        }

        // Found again; but pressed five times in a drawer meanwhile: counter 5 is past the look-ahead (1 + 2).
        await tokens.SetStateAsync("Enable the token", "found in a drawer");
        await Assertions.Expect(tokens.State).ToHaveTextAsync("assigned");
        await using (var ranAhead = await BrowserSession.StartAsync(nameof(TokenStoryTests) + "-gus-ahead"))
        {
            await SignInAsync(ranAhead.Page, server, Codes[5]);
            await Assertions.Expect(new CodePage(ranAhead.Page).Error).ToBeVisibleAsync();
        }

        await tokens.ResyncAsync(Codes[6], Codes[7]);
        await Assertions.Expect(tokens.Status).ToContainTextAsync("its next counter is 8");
        await ada.ScreenshotAsync("4-resynchronised");
        await using (var resynced = await BrowserSession.StartAsync(nameof(TokenStoryTests) + "-gus-resynced"))
        {
            await SignInAsync(resynced.Page, server, Codes[8]);
            await Assertions.Expect(resynced.Page).ToHaveURLAsync(new Uri(server.BaseUrl, "account").ToString());
        }
    }

    private static async Task SignInAsync(IPage page, IdpServerHost server, string code)
    {
        await page.GotoAsync(new Uri(server.BaseUrl, "account/login").ToString());
        await new LoginPage(page).SignInAsync("gus", Password);
        await new CodePage(page).EnterAsync(code);
    }

}
