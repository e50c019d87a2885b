using System.Net;
using System.Text;
using Idp.Audit;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.Tests.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Tests.Hardening;

/// <summary>What an anonymous request can make a node read or store is bounded.</summary>
public sealed class BoundedRequestTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Authorize_WithJunkFields_KeepsOnlyWhatTheEngineUnderstands_UnderTheLimit(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var form = Request();
        for (var i = 0; i < 30; i++)
        {
            form[$"junk{i}"] = new string('x', 2000);
        }

        var response = await oidc.Host.CreateBrowser().PostAsync("/connect/authorize", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = Assert.Single(await HardeningDb.QueryAsync(oidc.Host.Services, db => db.PendingAuthorizations.AsNoTracking().ToListAsync()));
        Assert.True(Encoding.UTF8.GetByteCount(stored.Parameters) <= 16 * 1024, $"{stored.Parameters.Length} characters stored");
        Assert.DoesNotContain("junk", stored.Parameters, StringComparison.Ordinal);
        Assert.Contains("\"state\"", stored.Parameters, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_LargeButLegalRequest_FitsTheLimit()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var form = Request();
        // Characters a default JSON writer escapes to six bytes each: 2,800 of them would pass 16 KB that way.
        form["state"] = new string('+', 2048);
        form["nonce"] = new string('&', 512);
        form["login_hint"] = "é" + new string('+', 255);

        var response = await oidc.Host.CreateBrowser().PostAsync("/connect/authorize", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_AThousandFields_400_NothingStored()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var form = Request();
        for (var i = 0; i < 1000; i++)
        {
            form[$"junk{i}"] = new string('x', 40);
        }

        var response = await oidc.Host.CreateBrowser().PostAsync("/connect/authorize", new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await HardeningDb.QueryAsync(oidc.Host.Services, db => db.PendingAuthorizations.CountAsync()));
    }

    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/account/login")]
    public async Task OversizedBody_413(string path)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var body = new StringContent("a=" + new string('x', 200 * 1024), Encoding.ASCII, "application/x-www-form-urlencoded");

        var response = await oidc.Host.CreateBrowser().PostAsync(path, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Contains(path == "/connect/token" ? "invalid_request" : "<h1>Too large</h1>", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_MoreFieldsThanTheLimit_400Json()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api:read" };
        for (var i = 0; i < 150; i++)
        {
            form[$"f{i}"] = "x";
        }

        var response = await oidc.TokenAsync(form, (OidcClients.Machine, OidcClients.MachineSecret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await OidcScenario.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task RefusedProtocolRequests_AuditedAsOneCountedRowPerClientAndError(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var browser = oidc.Host.CreateBrowser();
        for (var i = 0; i < 40; i++)
        {
            await browser.GetAsync($"/connect/authorize?client_id=no-such-client-{i}&response_type=code");
            await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "password" }, (OidcClients.Machine, OidcClients.MachineSecret));
        }

        await oidc.Host.Services.GetRequiredService<ProtocolErrorTally>().FlushAsync(oidc.Host.Services.GetRequiredService<AuditLog>(), CancellationToken.None);

        var rows = await HardeningDb.AuditAsync(oidc.Host.Services, AuditEventTypes.ProtocolError);
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.ClientId is null && r.Details!.StartsWith("authorize invalid_client; count=40", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.ClientId == OidcClients.Machine && r.Details!.StartsWith("token unsupported_grant_type; count=40", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ExpiredGrants_AreDeleted_LiveOnesKept(DatabaseKind kind)
    {
        var clock = new MutableTimeProvider();
        await using var scenario = await Scenario.StartAsync(kind, services: s => s.AddSingleton<TimeProvider>(clock));
        var user = await scenario.CreateUserAsync("alice", "a long enough password");
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var scope = scenario.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
            db.Grants.Add(new GrantRecord { Id = "old-and-done", ClientId = "webapp", UserId = user.Id, CreatedAt = now.AddDays(-40) });
            db.Grants.Add(new GrantRecord { Id = "old-with-refresh", ClientId = "webapp", UserId = user.Id, CreatedAt = now.AddDays(-40) });
            db.Grants.Add(new GrantRecord { Id = "fresh", ClientId = "webapp", UserId = user.Id, CreatedAt = now });
            db.RefreshTokens.Add(new RefreshTokenRecord
            {
                TokenHash = "h", GrantId = "old-with-refresh", ClientId = "webapp", UserId = user.Id, SubjectId = user.SubjectId, SessionId = "s",
                Scopes = "openid", AuthTime = now, Acr = "a", Amr = "pwd", CreatedAt = now, ExpiresAt = now.AddDays(1),
            });
            await db.SaveChangesAsync();
        }

        await scenario.Host.Services.GetRequiredService<ExpiredStateCleanup>().RunOnceAsync(CancellationToken.None);

        var left = await HardeningDb.QueryAsync(scenario.Host.Services, db => db.Grants.Select(g => g.Id).OrderBy(id => id).ToListAsync());
        Assert.Equal(["fresh", "old-with-refresh"], left);
    }

    private static Dictionary<string, string> Request()
    {
        var pkce = Pkce.Create();
        return new Dictionary<string, string>
        {
            ["client_id"] = OidcClients.WebApp, ["redirect_uri"] = OidcClients.WebAppRedirect, ["response_type"] = "code", ["scope"] = "openid",
            ["state"] = "st-1", ["nonce"] = "n-1", ["code_challenge"] = pkce.Challenge, ["code_challenge_method"] = "S256",
        };
    }
}
