using System.Net;
using System.Text.Json;
using Idp.Browser.Tests.Pages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Browser.Tests;

/// <summary>The product, as a person lives it in Chromium: an app sends them here, they enroll by QR code, and come back signed in with a second factor.</summary>
public sealed class SecondFactorStoryTests
{
    private const string Password = "a long enough passphrase";
    private const string App = "https://payroll.test";

    [Fact]
    public async Task FromAnAppsRedirectThroughQrEnrollmentToTokensThatSayOtp()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await IdpServerHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Otp:Activation"] = "Required",
            ["Idp:Clients:0:ClientId"] = "payroll",
            ["Idp:Clients:0:ClientSecrets:0"] = "payroll-secret-0123456789",
            ["Idp:Clients:0:RedirectUris:0"] = App + "/callback",
        });
        await CreateUserAsync(server, "dana");
        await using var browser = await BrowserSession.StartAsync(nameof(FromAnAppsRedirectThroughQrEnrollmentToTokensThatSayOtp));
        var page = browser.Page;
        // The app itself is not running: its callback is answered inside the browser, so the test can read the code.
        await page.RouteAsync(App + "/**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<h1>Payroll</h1>" }));
        var verifier = "0123456789abcdefghijklmnopqrstuvwxyz-._~0123";
        var challenge = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));

        await page.GotoAsync(new Uri(server.BaseUrl, QueryHelpers.AddQueryString("connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = "payroll", ["redirect_uri"] = App + "/callback", ["response_type"] = "code", ["scope"] = "openid profile",
            ["state"] = "s1", ["nonce"] = "n1", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        })).ToString());
        await browser.ScreenshotAsync("1-login");
        await new LoginPage(page).SignInAsync("dana", Password);

        var enroll = new EnrollPage(page);
        await Assertions.Expect(enroll.Heading).ToHaveTextAsync("Set up your authenticator");
        await browser.ScreenshotAsync("2-enroll");
        var (uri, seed) = await enroll.ScanQrCodeAsync(browser.ScreenshotFolder);
        await enroll.SaveAsync("Dana phone", Code(seed));
        await page.WaitForURLAsync(App + "/callback**");
        await browser.ScreenshotAsync("3-back-at-the-app");

        var callback = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var tokenResponse = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = callback["code"]!, ["redirect_uri"] = App + "/callback",
            ["code_verifier"] = verifier, ["client_id"] = "payroll", ["client_secret"] = "payroll-secret-0123456789",
        }));
        var idToken = new JsonWebToken(JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("id_token").GetString()!);

        Assert.StartsWith("otpauth://totp/localhost:dana?secret=", uri, StringComparison.Ordinal);
        Assert.Equal("s1", callback["state"]);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Equal(["pwd", "otp", "mfa"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.All(browser.Requests.Where(r => !r.StartsWith(App, StringComparison.Ordinal)), url => Assert.StartsWith(server.BaseUrl.ToString(), url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NextCodeSignsInTheSameCodeTwiceDoesNotThreeWrongCodesSendYouBackAndDevicesAreManaged()
    {
        var clock = new MutableTimeProvider();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await IdpServerHost.StartAsync(database, new Dictionary<string, string?> { ["Otp:Activation"] = "Required", ["Otp:Ttl"] = "3600" }, clock);
        await CreateUserAsync(server, "erik");
        await using var browser = await BrowserSession.StartAsync(nameof(NextCodeSignsInTheSameCodeTwiceDoesNotThreeWrongCodesSendYouBackAndDevicesAreManaged));
        var page = browser.Page;
        var login = new LoginPage(page);
        var codePage = new CodePage(page);

        await page.GotoAsync(new Uri(server.BaseUrl, "account/login").ToString());
        await login.SignInAsync("erik", Password);
        var enroll = new EnrollPage(page);
        var (_, first) = await enroll.ScanQrCodeAsync(browser.ScreenshotFolder);
        var enrollmentCode = Code(first, clock);
        await enroll.SaveAsync("First", enrollmentCode);
        await Assertions.Expect(new AccountPage(page).UserName).ToHaveTextAsync("erik");

        // The same code a second time is refused: it was consumed at enrollment.
        await new AccountPage(page).SignOutAsync();
        await login.SignInAsync("erik", Password);
        await codePage.EnterAsync(enrollmentCode);
        await Assertions.Expect(codePage.Error).ToContainTextAsync("already used");
        await browser.ScreenshotAsync("1-replayed-code");

        // Three wrong codes send you back to the password page.
        await codePage.EnterAsync(WrongCode(first, clock));
        await codePage.EnterAsync(WrongCode(first, clock));
        await Assertions.Expect(login.Error).ToHaveTextAsync("Too many wrong codes. Sign in again.");
        await browser.ScreenshotAsync("2-back-to-password");

        // The next code signs in.
        clock.Advance(TimeSpan.FromSeconds(30));
        await login.SignInAsync("erik", Password);
        await codePage.EnterAsync(Code(first, clock));
        await Assertions.Expect(new AccountPage(page).UserName).ToHaveTextAsync("erik");

        // /2fregisters: a fresh code from the first device adds a second one.
        await page.GotoAsync(new Uri(server.BaseUrl, "2fregisters").ToString());
        var registers = new RegistersPage(page);
        clock.Advance(TimeSpan.FromSeconds(30));
        await registers.AddAsync(Code(first, clock));
        var (_, second) = await enroll.ScanQrCodeAsync(browser.ScreenshotFolder);
        await enroll.SaveAsync("Second", Code(second, clock));
        await Assertions.Expect(registers.Rows).ToHaveCountAsync(2);
        await browser.ScreenshotAsync("3-two-devices");

        // The device added in this session does not vouch for removing the other; the first one's own code does.
        clock.Advance(TimeSpan.FromSeconds(30));
        await registers.RemoveAsync("First", Code(second, clock));
        await Assertions.Expect(registers.Error).ToContainTextAsync("not right");
        await registers.RemoveAsync("First", Code(first, clock));
        await Assertions.Expect(registers.Status).ToHaveTextAsync("Removed First. Your other sessions were ended.");
        await Assertions.Expect(registers.Rows).ToHaveCountAsync(1);
        await browser.ScreenshotAsync("4-first-removed");
    }

    private static string WrongCode(byte[] seed, TimeProvider clock)
    {
        var near = Enumerable.Range(-2, 5).Select(o => TestOtp.CodeAt(clock.GetUtcNow().AddSeconds(30 * o), seed)).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("000000", System.Globalization.CultureInfo.InvariantCulture)).First(c => !near.Contains(c));
    }

    private static async Task CreateUserAsync(IdpServerHost server, string userName)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Idp.Persistence.Entities.IdpUser>>();
        Assert.True((await users.CreateAsync(new Idp.Persistence.Entities.IdpUser { UserName = userName }, Password)).Succeeded);
    }

    [Fact]
    public async Task AnExpiredDeviceIsRefusedAndItsOwnerIsToldAndEnrollsANewOne()
    {
        var clock = new MutableTimeProvider();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await IdpServerHost.StartAsync(database, new Dictionary<string, string?> { ["Otp:Activation"] = "Required", ["Otp:Ttl"] = "3600" }, clock);
        await CreateUserAsync(server, "fay");
        await using var browser = await BrowserSession.StartAsync(nameof(AnExpiredDeviceIsRefusedAndItsOwnerIsToldAndEnrollsANewOne));
        var page = browser.Page;
        var login = new LoginPage(page);
        var enroll = new EnrollPage(page);

        await page.GotoAsync(new Uri(server.BaseUrl, "account/login").ToString());
        await login.SignInAsync("fay", Password);
        var (_, old) = await enroll.ScanQrCodeAsync(browser.ScreenshotFolder);
        await enroll.SaveAsync("Old phone", Code(old, clock));
        await new AccountPage(page).SignOutAsync();

        clock.Advance(TimeSpan.FromHours(2));
        await login.SignInAsync("fay", Password);

        // The old device no longer signs in; its owner is told, and a code from it (within Otp:ExpiredGracePeriod)
        // proves possession and opens the enrollment of a new one.
        await Assertions.Expect(new CodePage(page).Notice).ToContainTextAsync("Your device Old phone has expired");
        await browser.ScreenshotAsync("1-expired");
        await page.GotoAsync(new Uri(server.BaseUrl, "account/2fa/enroll").ToString());
        Assert.EndsWith("/account/2fa", page.Url, StringComparison.Ordinal);
        await new CodePage(page).EnterAsync(Code(old, clock));
        await Assertions.Expect(new EnrollPage(page).Notice).ToContainTextAsync("Your device Old phone has expired and no longer signs in. Set up a new one.");
        var (_, fresh) = await enroll.ScanQrCodeAsync(browser.ScreenshotFolder);
        await enroll.SaveAsync("New phone", Code(fresh, clock));
        await Assertions.Expect(new AccountPage(page).UserName).ToHaveTextAsync("fay");
    }

    private static string Code(byte[] seed) => Code(seed, TimeProvider.System);

    private static string Code(byte[] seed, TimeProvider clock)
        => TestOtp.CodeAt(clock.GetUtcNow(), seed);
}
