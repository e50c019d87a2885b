using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.Tests.Oidc;
using Idp.Tests.SecondFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.Admin;

/// <summary>An IdP with alice (a device), an administrator "root" (a device), and an API client holding idp:admin.</summary>
internal static class AdminScenario
{
    public const string AdminName = "root";
    public const string ApiClient = "admin-api";
    public const string ApiSecret = "admin-api-secret-0123456789";

    public static async Task<OidcScenario> StartAsync(DatabaseKind kind, params (string Key, string Value)[] extra)
    {
        var settings = OidcClients.AddClient(SecondFactorScenario.Settings(extra), ApiClient, ("ClientSecrets:0", ApiSecret), ("AllowedGrantTypes:0", "client_credentials"), ("AllowedScopes:0", "idp:admin"), ("AllowedScopes:1", "api:read"));
        var oidc = await OidcScenario.StartAsync(kind, settings);
        var root = await oidc.Inner.CreateUserAsync(AdminName, OidcScenario.Password);
        await using (var scope = oidc.Host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
            Assert.True((await users.AddToRoleAsync((await users.FindByIdAsync(root.Id))!, "admin")).Succeeded);
        }

        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, AdminName);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        return oidc;
    }

    /// <summary>Password then code: a session whose amr includes otp.</summary>
    public static async Task<HttpClient> SignInWithCodeAsync(OidcScenario oidc, string userName)
    {
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, userName, OidcScenario.Password);
        var accepted = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        Assert.Equal("/account", accepted.Headers.Location!.OriginalString);
        return browser;
    }

    public static async Task<List<AuditEvent>> EventsAboutAsync(OidcScenario oidc, string userName)
    {
        string userId;
        await using (var scope = oidc.Host.Services.CreateAsyncScope())
        {
            userId = (await scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>().FindByNameAsync(userName))!.Id;
        }

        return [.. (await TestAudit.EventsAsync(oidc.Host.Services)).Where(e => e.SubjectUserId == userId)];
    }
}
