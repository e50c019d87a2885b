using System.Net;
using Idp.Accounts;
using Idp.Persistence.Entities;
using Idp.Tests.Oidc;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Tests.Hardening;

/// <summary>
/// A lock must protect its owner, not become a weapon: anyone can type five wrong passwords for a username. During
/// that brute-force lock the person's apps keep refreshing; a refused refresh never spends the token; and a locked
/// account answers exactly like an unknown one, at the same cost.
/// </summary>
public sealed class LockoutTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task BruteForceLock_ExistingRefreshTokenAndUserInfoKeepWorking(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        var attacker = oidc.Host.CreateBrowser();
        for (var i = 0; i < 6; i++)
        {
            await oidc.Inner.SignInAsync(attacker, "alice", "guess " + i);
        }

        var refresh = await oidc.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        var userInfo = await CodeFlowTests.UserInfoAsync(oidc, tokens.GetProperty("access_token").GetString()!);

        Assert.True(await IsLockedAsync(oidc), "the wrong passwords did not lock the account");
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task RefusedRefresh_AdministratorLock_TokenNotSpent(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var token = (await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser())).GetProperty("refresh_token").GetString()!;
        await SetLockoutEndAsync(oidc, UserLockout.AdministratorLockEnd);

        var refused = await oidc.RefreshAsync(token);
        await SetLockoutEndAsync(oidc, null);
        var retried = await oidc.RefreshAsync(token);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task RefusedRefresh_WiderScope_TokenNotSpent(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var token = (await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser(), scope: "openid offline_access")).GetProperty("refresh_token").GetString()!;

        var refused = await oidc.RefreshAsync(token, scope: "openid email");
        var retried = await oidc.RefreshAsync(token);

        Assert.Equal("invalid_scope", (await OidcScenario.JsonAsync(refused)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task LockedAccount_AnswersLikeAnUnknownOne_WithOneHashEach(DatabaseKind kind)
    {
        var hasher = new CountingPasswordHasher();
        await using var oidc = await OidcScenario.StartAsync(kind, services: s => s.AddSingleton<IPasswordHasher<IdpUser>>(hasher));
        var browser = oidc.Host.CreateBrowser();
        var costs = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            hasher.Verifications = 0;
            await oidc.Inner.SignInAsync(browser, "alice", "guess " + i);
            costs.Add(hasher.Verifications);
        }

        hasher.Verifications = 0;
        var locked = await ErrorAsync(await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password));
        var lockedCost = hasher.Verifications;
        hasher.Verifications = 0;
        var unknown = await ErrorAsync(await oidc.Inner.SignInAsync(browser, "nobody-here", OidcScenario.Password));
        var unknownCost = hasher.Verifications;

        Assert.True(await IsLockedAsync(oidc));
        Assert.Equal(unknown, locked);
        Assert.Equal(PasswordSignIn.WrongCredentials, locked);
        Assert.Equal(1, unknownCost);
        Assert.Equal(unknownCost, lockedCost);
        // The attempt that trips the lock costs what the others cost too.
        Assert.All(costs, cost => Assert.Equal(1, cost));
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response)
        => (await HtmlForm.ParseAsync(response)).QuerySelector("[role=alert]")?.TextContent.Trim();

    private static async Task<bool> IsLockedAsync(OidcScenario oidc)
    {
        await using var scope = oidc.Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        return await users.IsLockedOutAsync((await users.FindByNameAsync("alice"))!);
    }

    private static async Task SetLockoutEndAsync(OidcScenario oidc, DateTimeOffset? end)
    {
        await using var scope = oidc.Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var alice = (await users.FindByNameAsync("alice"))!;
        await users.SetLockoutEnabledAsync(alice, true);
        await users.SetLockoutEndDateAsync(alice, end);
    }

    /// <summary>Counts password verifications: the work an attacker times.</summary>
    private sealed class CountingPasswordHasher : IPasswordHasher<IdpUser>
    {
        private readonly PasswordHasher<IdpUser> _inner = new();

        public int Verifications { get; set; }

        public string HashPassword(IdpUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(IdpUser user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
