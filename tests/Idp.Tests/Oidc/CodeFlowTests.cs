using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Text.Json;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Idp.Tests.Oidc;

/// <summary>
/// The code flow end to end, checked independently with Microsoft.IdentityModel's OpenID Connect validators.
/// Test names follow the OpenID conformance suite's Basic OP modules where one applies.
/// </summary>
public sealed class CodeFlowTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OP_Discovery_Config_RetrievedAndValidByMicrosoftRetriever(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);

        var configuration = await RetrieveAsync(oidc);

        Assert.Equal("https://idp.test", configuration.Issuer);
        Assert.Equal("https://idp.test/connect/authorize", configuration.AuthorizationEndpoint);
        Assert.Equal("https://idp.test/connect/token", configuration.TokenEndpoint);
        Assert.Equal("https://idp.test/connect/userinfo", configuration.UserInfoEndpoint);
        Assert.Equal("https://idp.test/connect/endsession", configuration.EndSessionEndpoint);
        Assert.Equal(["code"], configuration.ResponseTypesSupported);
        Assert.Contains("S256", configuration.CodeChallengeMethodsSupported);
        Assert.Contains("urn:idp:acr:mfa", configuration.AcrValuesSupported);
        Assert.Contains("client_credentials", configuration.GrantTypesSupported);
        Assert.Contains("api:read", configuration.ScopesSupported);
        var raw = await OidcScenario.JsonAsync(await oidc.Host.CreateBrowser().GetAsync("/.well-known/openid-configuration"));
        Assert.True(raw.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        Assert.Equal(["query", "form_post"], raw.GetProperty("response_modes_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(configuration.SigningKeys, k => k.KeyId is { Length: > 0 });
        Assert.Contains(configuration.JsonWebKeySet.Keys, k => k.Alg == "RS256");
        Assert.Contains(configuration.JsonWebKeySet.Keys, k => k.Alg == "ES256");
        Assert.DoesNotContain(configuration.JsonWebKeySet.Keys, k => k.D is not null || k.P is not null);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OP_Response_code_TokensPassIndependentValidation(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var browser = oidc.Host.CreateBrowser();
        var pkce = Pkce.Create();

        var callback = await oidc.AuthorizeAsync(browser, OidcScenario.CodeRequest(pkce: pkce, nonce: "nonce-123", state: "state-xyz"));
        var response = await oidc.RedeemAsync(callback["code"], pkce);
        var body = await OidcScenario.JsonAsync(response);

        Assert.Equal("state-xyz", callback["state"]);
        Assert.Equal("https://idp.test", callback["iss"]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("no-cache", response.Headers.Pragma.ToString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 800, 900);
        Assert.False(body.TryGetProperty("refresh_token", out _));

        var configuration = await RetrieveAsync(oidc);
        var idToken = body.GetProperty("id_token").GetString()!;
        var accessToken = body.GetProperty("access_token").GetString()!;
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = OidcClients.WebApp,
            IssuerSigningKeys = configuration.SigningKeys,
            LifetimeValidator = (_, expires, _, _) => expires > oidc.Host.Time.GetUtcNow().UtcDateTime,
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        new OpenIdConnectProtocolValidator { RequireTimeStampInNonce = false, RequireStateValidation = false }.ValidateTokenResponse(new OpenIdConnectProtocolValidationContext
        {
            ClientId = OidcClients.WebApp,
            Nonce = "nonce-123",
            ValidatedIdToken = new JwtSecurityTokenHandler().ReadJwtToken(idToken),
            ProtocolMessage = new OpenIdConnectMessage { IdToken = idToken, AccessToken = accessToken },
        });

        var id = (JsonWebToken)validated.SecurityToken;
        var alice = await SubjectOfAsync(oidc, "alice");
        Assert.Equal(alice, id.Subject);
        Assert.NotEqual("alice", id.Subject);
        Assert.Equal("nonce-123", id.GetClaim("nonce").Value);
        Assert.Equal(["pwd"], id.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.Equal("urn:idp:acr:pwd", id.GetClaim("acr").Value);
        Assert.True(id.TryGetPayloadValue<long>("auth_time", out _));
        Assert.True(id.TryGetPayloadValue<string>("sid", out _));
        Assert.Equal("alice@example.com", id.GetClaim("email").Value);
        Assert.Equal("alice", id.GetClaim("preferred_username").Value);

        var access = new JsonWebToken(accessToken);
        Assert.Equal("at+jwt", access.Typ);
        Assert.Equal(OidcClients.WebApp, access.GetClaim("client_id").Value);
        Assert.Equal("openid profile email", access.GetClaim("scope").Value);
        Assert.False(string.IsNullOrEmpty(access.Id));
        Assert.Equal(alice, access.Subject);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OP_OAuth_2nd_CodeReused_RefusedAndTokensOfFirstUseRevoked(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var pkce = Pkce.Create();
        var callback = await oidc.AuthorizeAsync(oidc.Host.CreateBrowser(), OidcScenario.CodeRequest(scope: "openid offline_access", pkce: pkce));
        var first = await OidcScenario.JsonAsync(await oidc.RedeemAsync(callback["code"], pkce));

        var second = await oidc.RedeemAsync(callback["code"], pkce);
        var refresh = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = first.GetProperty("refresh_token").GetString()! }, (OidcClients.WebApp, OidcClients.WebAppSecret));
        var userInfo = await UserInfoAsync(oidc, first.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (await OidcScenario.JsonAsync(second)).GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await OidcScenario.JsonAsync(refresh)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OP_UserInfo_Header_And_Body_SubEqualsIdToken(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var idSubject = new JsonWebToken(tokens.GetProperty("id_token").GetString()!).Subject;

        var header = await OidcScenario.JsonAsync(await UserInfoAsync(oidc, accessToken));
        var body = await oidc.Host.CreateBrowser().PostAsync("/connect/userinfo", new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = accessToken }));

        Assert.Equal(idSubject, header.GetProperty("sub").GetString());
        Assert.Equal("alice@example.com", header.GetProperty("email").GetString());
        Assert.Equal("alice", header.GetProperty("preferred_username").GetString());
        Assert.Equal(HttpStatusCode.OK, body.StatusCode);
        Assert.Equal(idSubject, (await OidcScenario.JsonAsync(body)).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task UserInfo_NoOrBadToken_BearerChallenges()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var client = oidc.Host.CreateBrowser();

        var none = await client.GetAsync("/connect/userinfo");
        var bad = await UserInfoAsync(oidc, "not.a.token");
        var machine = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, (OidcClients.Machine, OidcClients.MachineSecret));
        var noOpenId = await UserInfoAsync(oidc, (await OidcScenario.JsonAsync(machine)).GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer realm=\"idp\"", none.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.StartsWith("Bearer realm=\"idp\", error=\"invalid_token\"", bad.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, noOpenId.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", noOpenId.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OP_OAuth_refresh_RotatesAndReuseRevokesTheFamily(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        var firstRefresh = tokens.GetProperty("refresh_token").GetString()!;
        var credentials = (OidcClients.WebApp, OidcClients.WebAppSecret);

        var rotated = await OidcScenario.JsonAsync(await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = firstRefresh }, credentials));
        var secondRefresh = rotated.GetProperty("refresh_token").GetString()!;
        var narrowed = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = secondRefresh, ["scope"] = "openid profile email offline_access admin" }, credentials);
        var reuse = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = firstRefresh }, credentials);
        var afterReuse = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = secondRefresh }, credentials);

        Assert.NotEqual(firstRefresh, secondRefresh);
        Assert.Equal(new JsonWebToken(tokens.GetProperty("id_token").GetString()!).Subject, new JsonWebToken(rotated.GetProperty("id_token").GetString()!).Subject);
        Assert.Equal("invalid_scope", (await OidcScenario.JsonAsync(narrowed)).GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await OidcScenario.JsonAsync(reuse)).GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await OidcScenario.JsonAsync(afterReuse)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task OP_Response_code_PublicClientWithPkce_NoSecret()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var pkce = Pkce.Create();
        var callback = await oidc.AuthorizeAsync(oidc.Host.CreateBrowser(), OidcScenario.CodeRequest(OidcClients.Spa, OidcClients.SpaRedirect, "openid profile", pkce));

        var response = await oidc.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = callback["code"], ["redirect_uri"] = OidcClients.SpaRedirect,
            ["client_id"] = OidcClients.Spa, ["code_verifier"] = pkce.Verifier,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task IdToken_ClientWithES256_SignedWithES256()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var pkce = Pkce.Create();
        var callback = await oidc.AuthorizeAsync(oidc.Host.CreateBrowser(), OidcScenario.CodeRequest(OidcClients.Es256, OidcClients.Es256Redirect, "openid", pkce));
        var body = await OidcScenario.JsonAsync(await oidc.RedeemAsync(callback["code"], pkce, OidcClients.Es256, OidcClients.Shared, OidcClients.Es256Redirect));

        var configuration = await RetrieveAsync(oidc);
        var idToken = body.GetProperty("id_token").GetString()!;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters { ValidIssuer = configuration.Issuer, ValidAudience = OidcClients.Es256, IssuerSigningKeys = configuration.SigningKeys, ValidateLifetime = false });

        Assert.Equal("ES256", new JsonWebToken(idToken).Alg);
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    internal static async Task<OpenIdConnectConfiguration> RetrieveAsync(OidcScenario oidc)
    {
        var retriever = new HttpDocumentRetriever(oidc.Host.CreateBrowser()) { RequireHttps = true };
        return await OpenIdConnectConfigurationRetriever.GetAsync("https://idp.test/.well-known/openid-configuration", retriever, CancellationToken.None);
    }

    internal static Task<HttpResponseMessage> UserInfoAsync(OidcScenario oidc, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return oidc.Host.CreateBrowser().SendAsync(request);
    }

    internal static async Task<string> SubjectOfAsync(OidcScenario oidc, string userName)
    {
        await using var scope = oidc.Host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>().FindByNameAsync(userName))!.SubjectId;
    }
}
