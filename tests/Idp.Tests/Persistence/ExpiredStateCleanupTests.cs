using Idp.Persistence;
using Idp.Tests.Oidc;

namespace Idp.Tests.Persistence;

public sealed class ExpiredStateCleanupTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Cleanup_DeletesOnlyWhatHasExpired(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var live = oidc.Host.CreateBrowser();
        var tokens = await oidc.SignInAndRedeemAsync(live);
        var stale = oidc.Host.CreateBrowser();
        await stale.GetAsync(OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(pkce: Pkce.Create())));
        var cleanup = oidc.Host.Services.GetRequiredService<ExpiredStateCleanup>();

        var now = await cleanup.RunOnceAsync(CancellationToken.None);
        oidc.Host.Time.Advance(TimeSpan.FromDays(2));
        var later = await cleanup.RunOnceAsync(CancellationToken.None);

        await using var scope = oidc.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        Assert.Equal(0, now);
        Assert.True(later >= 3, $"deleted {later}");
        Assert.Empty(db.PendingAuthorizations);
        Assert.Empty(db.AuthorizationCodes);
        Assert.Empty(db.UserSessions);
        // The refresh token lives 30 days: still there, still usable.
        Assert.Single(db.RefreshTokens);
        var refreshed = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()! }, (OidcClients.WebApp, OidcClients.WebAppSecret));
        Assert.True(refreshed.IsSuccessStatusCode);
    }
}
