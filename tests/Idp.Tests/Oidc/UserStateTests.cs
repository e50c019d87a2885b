using System.Net;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Tests.Oidc;

/// <summary>
/// Tokens stop working for a user who was locked out or deleted after they were issued: refresh and userinfo read
/// the user afresh on every call (in the same statement that checks the grant).
/// </summary>
public sealed class UserStateTests
{
    private static readonly (string, string) Credentials = (OidcClients.WebApp, OidcClients.WebAppSecret);

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Refresh_UserLockedByAdministrator_InvalidGrant(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        await ChangeAliceAsync(oidc, async (users, alice) => await users.SetLockoutEndDateAsync(alice, Idp.Accounts.UserLockout.AdministratorLockEnd));

        var refresh = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()! }, Credentials);

        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", (await OidcScenario.JsonAsync(refresh)).GetProperty("error").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task RefreshAndUserInfo_UserDeleted_Refused(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        var before = await CodeFlowTests.UserInfoAsync(oidc, tokens.GetProperty("access_token").GetString()!);
        await ChangeAliceAsync(oidc, async (users, alice) => await users.DeleteAsync(alice));

        var userInfo = await CodeFlowTests.UserInfoAsync(oidc, tokens.GetProperty("access_token").GetString()!);
        var refresh = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()! }, Credentials);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
        Assert.Contains("error=\"invalid_token\"", userInfo.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid_grant", (await OidcScenario.JsonAsync(refresh)).GetProperty("error").GetString());
    }

    private static async Task ChangeAliceAsync(OidcScenario oidc, Func<UserManager<IdpUser>, IdpUser, Task> change)
    {
        await using var scope = oidc.Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        await change(users, (await users.FindByNameAsync("alice"))!);
    }
}
