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

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Cleanup_DeletesAuditRowsOlderThanTheRetention(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, new Dictionary<string, string?> { ["Idp:Audit:Retention"] = "30.00:00:00" });
        await using var scope = oidc.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        var now = oidc.Host.Time.GetUtcNow().UtcDateTime;
        db.AuditEvents.Add(new Idp.Persistence.Entities.AuditEvent { At = now.AddDays(-31), Type = "test.old", Actor = "system" });
        db.AuditEvents.Add(new Idp.Persistence.Entities.AuditEvent { At = now.AddDays(-29), Type = "test.recent", Actor = "system" });
        await db.SaveChangesAsync();

        await oidc.Host.Services.GetRequiredService<ExpiredStateCleanup>().RunOnceAsync(CancellationToken.None);

        var left = db.AuditEvents.Where(e => e.Type.StartsWith("test.")).Select(e => e.Type).ToList();
        Assert.Equal(["test.recent"], left);
    }
}
