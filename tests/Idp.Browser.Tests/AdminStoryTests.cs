using Idp.Browser.Tests.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Browser.Tests;

/// <summary>A phone is lost: an administrator removes it from /admin, the holder of the session is out, the owner enrolls anew.</summary>
public sealed class AdminStoryTests
{
    private const string Password = BrowserUsers.Password;

    [Fact]
    public async Task AdminRemovesALostPhone_TheOpenSessionEnds_TheUserEnrollsAgain_TheAuditShowsBoth()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await IdpServerHost.StartAsync(database, new Dictionary<string, string?> { ["Otp:Activation"] = "Required" });
        await BrowserUsers.CreateAsync(server, "ada", admin: true, phone: true);
        await BrowserUsers.CreateAsync(server, "gus", phone: true);
        await using var gus = await BrowserSession.StartAsync(nameof(AdminRemovesALostPhone_TheOpenSessionEnds_TheUserEnrollsAgain_TheAuditShowsBoth) + "-gus");
        await using var ada = await BrowserSession.StartAsync(nameof(AdminRemovesALostPhone_TheOpenSessionEnds_TheUserEnrollsAgain_TheAuditShowsBoth) + "-ada");

        // Gus is signed in (password and code) when his phone goes missing.
        await SignInWithCodeAsync(gus.Page, server, "gus");
        await Assertions.Expect(gus.Page).ToHaveURLAsync(new Uri(server.BaseUrl, "account").ToString());

        // Ada signs in with her password and her own code, finds gus and removes the phone with a reason.
        await SignInWithCodeAsync(ada.Page, server, "ada");
        var admin = new AdminPage(ada.Page, server.BaseUrl);
        await admin.OpenUserAsync("gus");
        await ada.ScreenshotAsync("1-user-page");
        await admin.RemoveDeviceAsync("Phone", "phone reported lost, ticket 4711");
        await Assertions.Expect(admin.Status).ToContainTextAsync("Removed the device \"Phone\"");
        await ada.ScreenshotAsync("2-device-removed");

        // Gus's open session is over; at his next sign-in he must enroll a new device.
        await gus.Page.ReloadAsync();
        await Assertions.Expect(new LoginPage(gus.Page).UserName).ToBeVisibleAsync();
        await new LoginPage(gus.Page).SignInAsync("gus", Password);
        await Assertions.Expect(new EnrollPage(gus.Page).Heading).ToHaveTextAsync("Set up your authenticator");
        await gus.ScreenshotAsync("3-enroll-again");

        var audit = await admin.AuditTextAsync("gus", "otp.removed", "admin.sessions_ended");
        await ada.ScreenshotAsync("4-audit");
        Assert.Contains("otp.removed", audit, StringComparison.Ordinal);
        Assert.Contains("phone reported lost, ticket 4711", audit, StringComparison.Ordinal);
        Assert.Contains("admin.sessions_ended", audit, StringComparison.Ordinal);
    }

    private static async Task SignInWithCodeAsync(IPage page, IdpServerHost server, string userName)
    {
        await page.GotoAsync(new Uri(server.BaseUrl, "account/login").ToString());
        await new LoginPage(page).SignInAsync(userName, Password);
        await new CodePage(page).EnterAsync(TestOtp.CodeAt(DateTimeOffset.UtcNow));
    }

}
