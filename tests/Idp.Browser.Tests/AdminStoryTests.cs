using Idp.Browser.Tests.Pages;
using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Browser.Tests;

/// <summary>A phone is lost: an administrator removes it from /admin, the holder of the session is out, the owner enrolls anew.</summary>
public sealed class AdminStoryTests
{
    private const string Password = "a long enough passphrase";
    private static readonly byte[] Seed = TestOtp.Seed;

    [Fact]
    public async Task AdminRemovesALostPhone_TheOpenSessionEnds_TheUserEnrollsAgain_TheAuditShowsBoth()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var server = await IdpServerHost.StartAsync(database, new Dictionary<string, string?> { ["Otp:Activation"] = "Required" });
        await CreateUserWithPhoneAsync(server, "ada", admin: true);
        await CreateUserWithPhoneAsync(server, "gus", admin: false);
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
        await Assertions.Expect(gus.Page.GetByLabel("Username or e-mail")).ToBeVisibleAsync();
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

    private static async Task CreateUserWithPhoneAsync(IdpServerHost server, string userName, bool admin)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var user = new IdpUser { UserName = userName };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        if (admin)
        {
            Assert.True((await users.AddToRoleAsync(user, "admin")).Succeeded);
        }

        var device = new OtpDevice
        {
            Id = Guid.NewGuid().ToString("N"),
            Type = OtpDeviceType.Totp,
            Name = "Phone",
            Epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Secret = scope.ServiceProvider.GetRequiredService<SecretProtector>().Protect(Seed, OtpSecretPurposes.OtpSeed),
        };
        Assert.True(await scope.ServiceProvider.GetRequiredService<IOtpDeviceStore>().TryReplaceAsync(user.Id, OtpDeviceDocument.Empty.Add(device), 0, CancellationToken.None));
    }
}
