using System.Net;
using Idp.Tests.Oidc;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Tests.Hardening;

/// <summary>An unexpected failure on a back-channel endpoint answers the spec's JSON error, never the HTML page.</summary>
public sealed class JsonErrorTests
{
    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/connect/introspect")]
    [InlineData("/connect/revoke")]
    [InlineData("/connect/userinfo")]
    [InlineData("/connect/token/")]
    public async Task OAuthEndpoint_UnexpectedException_ServerErrorJsonWithCorrelationId(string path)
    {
        var clock = new ThrowingClock();
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, services: s => s.AddSingleton<TimeProvider>(clock));
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["token"] = "x" }),
        };
        request.Headers.Authorization = path.EndsWith("userinfo", StringComparison.Ordinal)
            ? new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "x.y.z")
            : OidcScenario.Basic(OidcClients.Resource, OidcClients.ResourceSecret);

        clock.Armed = true;
        var response = await oidc.Host.CreateBrowser().SendAsync(request);
        clock.Armed = false;

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await OidcScenario.JsonAsync(response);
        Assert.Equal("server_error", json.GetProperty("error").GetString());
        Assert.Contains("Correlation id: ", json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-in-exception-message", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwks_UnexpectedException_ServerErrorJson()
    {
        var clock = new ThrowingClock();
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, services: s => s.AddSingleton<TimeProvider>(clock));

        clock.Armed = true;
        var response = await oidc.Host.CreateBrowser().GetAsync("/.well-known/jwks.json");
        clock.Armed = false;

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("server_error", (await OidcScenario.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task UserInfo_NoCredentials_BareChallenge_NoErrorBody()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.Host.CreateBrowser().GetAsync("/connect/userinfo");

        // RFC 6750 §3.1: no error information when the request had no credentials.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Refresh_FailureAfterTheTokenWasConsumed_TokenStillUsable(DatabaseKind kind)
    {
        var clock = new ThrowingClock();
        await using var oidc = await OidcScenario.StartAsync(kind, services: s => s.AddSingleton<TimeProvider>(clock));
        var token = (await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser())).GetProperty("refresh_token").GetString()!;

        // The consumption reads the clock once; issuing the new tokens then fails.
        clock.FailAfter(1);
        var failed = await oidc.RefreshAsync(token);
        clock.Armed = false;
        var retried = await oidc.RefreshAsync(token);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Fact]
    public async Task AdminApi_UnexpectedException_Rfc9457Problem()
    {
        var clock = new ThrowingClock();
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, AdminApiClient(), s => s.AddSingleton<TimeProvider>(clock));
        var token = await OidcScenario.JsonAsync(await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "idp:admin" }, (Admin.AdminScenario.ApiClient, Admin.AdminScenario.ApiSecret)));
        var api = oidc.Host.CreateBrowser();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());

        clock.Armed = true;
        var response = await api.GetAsync("/api/admin/users/alice/devices");
        clock.Armed = false;

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await OidcScenario.JsonAsync(response);
        Assert.Equal(500, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("correlationId").GetString()));
    }

    private static Dictionary<string, string?> AdminApiClient()
        => OidcClients.AddClient(OidcClients.Settings(), Admin.AdminScenario.ApiClient, ("ClientSecrets:0", Admin.AdminScenario.ApiSecret), ("AllowedGrantTypes:0", "client_credentials"), ("AllowedScopes:0", "idp:admin"));
}
