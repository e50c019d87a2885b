using System.Net;

namespace Idp.Tests.Oidc;

/// <summary>RFC 7009 revocation and RFC 7662 introspection.</summary>
public sealed class RevocationAndIntrospectionTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Revoke_RefreshToken_EndsTheGrant(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        var access = tokens.GetProperty("access_token").GetString()!;

        var revoke = await PostAsync(oidc, "/connect/revoke", new() { ["token"] = refresh, ["token_type_hint"] = "refresh_token" }, (OidcClients.WebApp, OidcClients.WebAppSecret));
        var useRefresh = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh }, (OidcClients.WebApp, OidcClients.WebAppSecret));
        var userInfo = await CodeFlowTests.UserInfoAsync(oidc, access);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("invalid_grant", (await OidcScenario.JsonAsync(useRefresh)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
    }

    [Fact]
    public async Task Revoke_AccessToken_UserInfoRefusesIt_RefreshStillWorks()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        var access = tokens.GetProperty("access_token").GetString()!;

        await PostAsync(oidc, "/connect/revoke", new() { ["token"] = access }, (OidcClients.WebApp, OidcClients.WebAppSecret));
        var refreshed = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()! }, (OidcClients.WebApp, OidcClients.WebAppSecret));

        Assert.Equal(HttpStatusCode.Unauthorized, (await CodeFlowTests.UserInfoAsync(oidc, access)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task Revoke_UnknownOrOtherClientsToken_200AndNothingRevoked()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());

        var unknown = await PostAsync(oidc, "/connect/revoke", new() { ["token"] = "no-such-token" }, (OidcClients.WebApp, OidcClients.WebAppSecret));
        var foreign = await PostAsync(oidc, "/connect/revoke", new() { ["token"] = tokens.GetProperty("refresh_token").GetString()! }, (OidcClients.Machine, OidcClients.MachineSecret));
        var unauthenticated = await PostAsync(oidc, "/connect/revoke", new() { ["token"] = "x", ["client_id"] = OidcClients.WebApp }, null);

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CodeFlowTests.UserInfoAsync(oidc, tokens.GetProperty("access_token").GetString()!)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Introspect_OwnTokenActive_ForeignInactive_ResourceServerSeesAll(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        var access = tokens.GetProperty("access_token").GetString()!;

        var own = await OidcScenario.JsonAsync(await PostAsync(oidc, "/connect/introspect", new() { ["token"] = access }, (OidcClients.WebApp, OidcClients.WebAppSecret)));
        var refresh = await OidcScenario.JsonAsync(await PostAsync(oidc, "/connect/introspect", new() { ["token"] = tokens.GetProperty("refresh_token").GetString()! }, (OidcClients.WebApp, OidcClients.WebAppSecret)));
        var foreign = await OidcScenario.JsonAsync(await PostAsync(oidc, "/connect/introspect", new() { ["token"] = access }, (OidcClients.Machine, OidcClients.MachineSecret)));
        var resource = await OidcScenario.JsonAsync(await PostAsync(oidc, "/connect/introspect", new() { ["token"] = access }, (OidcClients.Resource, OidcClients.ResourceSecret)));
        var garbage = await OidcScenario.JsonAsync(await PostAsync(oidc, "/connect/introspect", new() { ["token"] = "garbage" }, (OidcClients.Resource, OidcClients.ResourceSecret)));
        var publicClient = await PostAsync(oidc, "/connect/introspect", new() { ["token"] = access, ["client_id"] = OidcClients.Spa }, null);

        Assert.True(own.GetProperty("active").GetBoolean());
        Assert.Equal("openid profile email offline_access", own.GetProperty("scope").GetString());
        Assert.Equal(OidcClients.WebApp, own.GetProperty("client_id").GetString());
        Assert.Equal(await CodeFlowTests.SubjectOfAsync(oidc, "alice"), own.GetProperty("sub").GetString());
        Assert.True(refresh.GetProperty("active").GetBoolean());
        Assert.False(foreign.GetProperty("active").GetBoolean());
        Assert.True(resource.GetProperty("active").GetBoolean());
        Assert.False(garbage.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, publicClient.StatusCode);
    }

    [Fact]
    public async Task Introspect_ExpiredAccessToken_Inactive()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(16));

        var body = await OidcScenario.JsonAsync(await PostAsync(oidc, "/connect/introspect", new() { ["token"] = tokens.GetProperty("access_token").GetString()! }, (OidcClients.WebApp, OidcClients.WebAppSecret)));

        Assert.False(body.GetProperty("active").GetBoolean());
    }

    private static Task<HttpResponseMessage> PostAsync(OidcScenario oidc, string path, Dictionary<string, string> form, (string Id, string Secret)? basic)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (basic is { } credentials)
        {
            request.Headers.Authorization = OidcScenario.Basic(credentials.Id, credentials.Secret);
        }

        return oidc.Host.CreateBrowser().SendAsync(request);
    }
}
