using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Tests.Oidc;

/// <summary>Token endpoint rules, RFC 6749 §2.3, §3.2, §4.1.3, §5.2 and RFC 7636 §4.6.</summary>
public sealed class TokenEndpointTests
{
    [Fact]
    public async Task Token_ClientSecretPost_Works_AndBasicNeedsFormEncodingOfSpecialCharacters()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var pkce = Pkce.Create();
        var callback = await oidc.AuthorizeAsync(oidc.Host.CreateBrowser(), OidcScenario.CodeRequest(pkce: pkce));
        var rawBasic = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = "x", ["redirect_uri"] = OidcClients.WebAppRedirect }),
        };
        // The secret holds '+', '/', '=', '&', '%' and a space: unencoded it does not match (RFC 6749 §2.3.1).
        rawBasic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{OidcClients.WebApp}:{OidcClients.WebAppSecret}")));

        var post = await oidc.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = callback["code"], ["redirect_uri"] = OidcClients.WebAppRedirect,
            ["code_verifier"] = pkce.Verifier, ["client_id"] = OidcClients.WebApp, ["client_secret"] = OidcClients.WebAppSecret,
        });
        var unencoded = await oidc.Host.CreateBrowser().SendAsync(rawBasic);

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unencoded.StatusCode);
    }

    [Theory]
    [InlineData(OidcClients.WebApp, "wrong secret")]
    [InlineData("nobody", "whatever")]
    public async Task Token_BadBasicCredentials_InvalidClient401WithChallenge(string id, string secret)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = "x", ["redirect_uri"] = OidcClients.WebAppRedirect }, (id, secret));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid_client", (await OidcScenario.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_BadPostCredentials_InvalidClient401()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = OidcClients.Machine, ["client_secret"] = "nope" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await OidcScenario.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_TwoAuthenticationMethods_InvalidRequest()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_secret"] = OidcClients.MachineSecret }, (OidcClients.Machine, OidcClients.MachineSecret));

        Assert.Equal("invalid_request", (await OidcScenario.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("", "invalid_request")]
    [InlineData("password", "unsupported_grant_type")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code", "unsupported_grant_type")]
    [InlineData("client_credentials", "unauthorized_client")]
    public async Task Token_GrantTypeProblems_ErrorPerRfc6749(string grantType, string error)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = grantType }, (OidcClients.WebApp, OidcClients.WebAppSecret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await OidcScenario.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_JsonBodyOrGet_InvalidRequest()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var client = oidc.Host.CreateBrowser();

        var json = await client.PostAsync("/connect/token", new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json"));
        var get = await client.GetAsync("/connect/token?grant_type=client_credentials");

        Assert.Equal("invalid_request", (await OidcScenario.JsonAsync(json)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Token_CodeBindingChecks_InvalidGrant(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var browser = oidc.Host.CreateBrowser();
        async Task<(string Code, Pkce Pkce)> NewCodeAsync()
        {
            var pkce = Pkce.Create();
            return ((await oidc.AuthorizeAsync(browser, OidcScenario.CodeRequest(pkce: pkce)))["code"], pkce);
        }

        var (code1, _) = await NewCodeAsync();
        var wrongVerifier = await oidc.RedeemAsync(code1, Pkce.Create());
        var (code2, pkce2) = await NewCodeAsync();
        var wrongRedirect = await oidc.RedeemAsync(code2, pkce2, redirectUri: "https://rp.test/other");
        var (code3, pkce3) = await NewCodeAsync();
        var otherClient = await oidc.RedeemAsync(code3, pkce3, OidcClients.Es256, OidcClients.Shared, OidcClients.WebAppRedirect);
        var (code4, _) = await NewCodeAsync();
        var noVerifier = await oidc.RedeemAsync(code4);
        var (code5, pkce5) = await NewCodeAsync();
        oidc.Host.Time.Advance(TimeSpan.FromSeconds(61));
        var expired = await oidc.RedeemAsync(code5, pkce5);
        var unknown = await oidc.RedeemAsync("made-up-code", Pkce.Create());

        foreach (var response in new[] { wrongVerifier, wrongRedirect, otherClient, noVerifier, expired, unknown })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_grant", (await OidcScenario.JsonAsync(response)).GetProperty("error").GetString());
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        }
    }

    [Fact]
    public async Task Token_MalformedCodeVerifier_InvalidRequest()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);

        var response = await oidc.RedeemAsync("any", new Pkce("short", "x"));

        Assert.Equal("invalid_request", (await OidcScenario.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Token_ClientCredentials_ApiScopesOnly(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var machine = (OidcClients.Machine, OidcClients.MachineSecret);

        var all = await OidcScenario.JsonAsync(await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, machine));
        var one = await OidcScenario.JsonAsync(await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api:read" }, machine));
        var openid = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "openid" }, machine);
        var foreign = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api:delete" }, machine);

        var token = new JsonWebToken(one.GetProperty("access_token").GetString()!);
        Assert.Equal("api:read api:write", all.GetProperty("scope").GetString());
        Assert.Equal("api:read", token.GetClaim("scope").Value);
        Assert.Equal(OidcClients.Machine, token.Subject);
        Assert.False(one.TryGetProperty("id_token", out _));
        Assert.False(one.TryGetProperty("refresh_token", out _));
        Assert.Equal("invalid_scope", (await OidcScenario.JsonAsync(openid)).GetProperty("error").GetString());
        Assert.Equal("invalid_scope", (await OidcScenario.JsonAsync(foreign)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_Errors_AuditedWithoutTheCode()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var pkce = Pkce.Create();
        var callback = await oidc.AuthorizeAsync(oidc.Host.CreateBrowser(), OidcScenario.CodeRequest(pkce: pkce));
        await oidc.RedeemAsync(callback["code"], pkce);
        await oidc.RedeemAsync(callback["code"], pkce);

        var events = await TestAudit.EventsAsync(oidc.Host.Services);

        Assert.Contains(events, e => e.Type == "oidc.code_issued");
        Assert.Contains(events, e => e.Type == "oidc.token_issued");
        Assert.Contains(events, e => e.Type == "oidc.code_reused");
        Assert.DoesNotContain(events, e => (e.Details ?? string.Empty).Contains(callback["code"], StringComparison.Ordinal));
        Assert.DoesNotContain(oidc.Host.Logs.Lines, l => l.Contains(callback["code"], StringComparison.Ordinal) || l.Contains(OidcClients.WebAppSecret, StringComparison.Ordinal));
    }
}
