using Idp.Hosting;
using Idp.Persistence;
using Idp.Tests.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Tests.Hardening;

/// <summary>HSTS by default where it belongs, an opaque <c>sid</c>, and no script or local redirect URIs.</summary>
public sealed class TransportTests
{
    [Theory]
    [InlineData("Production", "max-age=31536000")]
    [InlineData("Development", null)]
    public async Task Hsts_OnOutsideDevelopment_WhenTheIssuerIsHttps(string environment, string? expected)
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, environment: environment);

        var response = await scenario.Host.CreateBrowser().GetAsync("/account/login");

        Assert.Equal(expected, response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? values.Single() : null);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Sid_IsNotTheSessionRowKey_AndStaysTheSameWithinTheSession(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var browser = oidc.Host.CreateBrowser();
        var first = await oidc.SignInAndRedeemAsync(browser);
        var second = await oidc.SignInAndRedeemAsync(browser);

        var sid = new JsonWebToken(first.GetProperty("id_token").GetString()!).GetClaim("sid").Value;
        var rows = await HardeningDb.QueryAsync(oidc.Host.Services, db => db.UserSessions.Select(s => s.Id).ToListAsync());

        Assert.Single(rows);
        Assert.NotEqual(rows[0], sid);
        Assert.DoesNotContain(rows[0], first.GetProperty("id_token").GetString()!, StringComparison.Ordinal);
        Assert.Equal(sid, new JsonWebToken(second.GetProperty("id_token").GetString()!).GetClaim("sid").Value);
    }

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("JavaScript://example.com/%0Aalert(1)")]
    public async Task Client_ScriptRedirectUri_RefusedAtStartup(string uri)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = new Dictionary<string, string?>
        {
            ["Idp:Clients:0:ClientId"] = "evil",
            ["Idp:Clients:0:RedirectUris:0"] = uri,
        };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => IdpTestHost.StartAsync(database, settings));

        Assert.Contains("Idp:Clients:0:RedirectUris:0 must not use the", error.Message, StringComparison.Ordinal);
    }
}
