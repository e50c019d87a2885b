using Idp.Browser.Tests.Pages;

namespace Idp.Browser.Tests;

/// <summary>User stories for a newcomer: the setup link, the first administrator, signing in and out.</summary>
public sealed class FirstAdministratorTests
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task NewcomerCreatesTheFirstAdministratorThroughTheSetupLinkThenSignsInAndOut()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await IdpServerHost.StartAsync(database);
        await using var browser = await BrowserSession.StartAsync(nameof(NewcomerCreatesTheFirstAdministratorThroughTheSetupLinkThenSignsInAndOut));
        var page = browser.Page;
        var link = Assert.Single(server.SetupLinks.Links);

        await page.GotoAsync(link.ToString());
        await browser.ScreenshotAsync("1-setup");
        await new SetupPage(page).CreateAdministratorAsync("admin", Password);

        var login = new LoginPage(page);
        await Assertions.Expect(login.Notice).ToHaveTextAsync("The administrator account is ready. Sign in with it.");
        await browser.ScreenshotAsync("2-login");
        await login.SignInAsync("admin", Password);

        var account = new AccountPage(page);
        await Assertions.Expect(account.UserName).ToHaveTextAsync("admin");
        Assert.EndsWith("/account", page.Url, StringComparison.Ordinal);
        await browser.ScreenshotAsync("3-account");
        await account.SignOutAsync();

        await Assertions.Expect(login.Notice).ToHaveTextAsync("You are signed out.");
        await page.GotoAsync(new Uri(server.BaseUrl, "account").ToString());
        Assert.Contains("/account/login", page.Url, StringComparison.Ordinal);
        await page.GotoAsync(link.ToString());
        await Assertions.Expect(new SetupPage(page).Heading).ToHaveTextAsync("Setup link no longer valid");
        await browser.ScreenshotAsync("4-used-link");
        Assert.All(browser.Requests, url => Assert.StartsWith(server.BaseUrl.ToString(), url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongPasswordShowsAnErrorAndTheKeyboardAloneSignsIn()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await IdpServerHost.StartAsync(database);
        await using var browser = await BrowserSession.StartAsync(nameof(WrongPasswordShowsAnErrorAndTheKeyboardAloneSignsIn));
        var page = browser.Page;
        await page.GotoAsync(server.SetupLinks.Links[0].ToString());
        await new SetupPage(page).CreateAdministratorAsync("admin", Password);
        var login = new LoginPage(page);

        await login.SignInAsync("admin", "not the passphrase");
        await Assertions.Expect(login.Error).ToHaveTextAsync(Idp.Accounts.PasswordSignIn.WrongCredentials);
        await browser.ScreenshotAsync("1-wrong-password");
        await login.SignInWithKeyboardAsync("admin", Password);

        await Assertions.Expect(new AccountPage(page).UserName).ToHaveTextAsync("admin");
    }
}
