using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Idp.Otp.Codecs;
using Idp.Tests.Oidc;
using Idp.Tests.SecondFactor;

namespace Idp.Tests.Admin;

/// <summary>/api/admin with client-credentials tokens from the IdP itself.</summary>
public sealed class AdminApiTests
{
    private static readonly string NewKey = Base32.Encode("abcdefghijklmnopqrst"u8);

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ListAddRemoveAndUnlock_WithTheAdminScope(DatabaseKind kind)
    {
        await using var oidc = await AdminScenario.StartAsync(kind);
        var api = await ApiAsync(oidc, "idp:admin");

        var listed = await api.GetAsync("/api/admin/users/alice/devices");
        var added = await api.PostAsync("/api/admin/users/alice/devices", Json(new { type = "TOTP", name = "Tablet", secret = NewKey, reason = "helpdesk" }));
        var addedId = (await OidcScenario.JsonAsync(added)).GetProperty("id").GetString()!;
        var codeFromAddedKey = TestOtp.CodeAt(oidc.Host.Time.GetUtcNow(), "abcdefghijklmnopqrst"u8.ToArray());
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var signedIn = await SecondFactorScenario.SubmitCodeAsync(browser, codeFromAddedKey);
        var removedOne = await api.DeleteAsync($"/api/admin/users/alice/devices/{addedId}?reason=tablet%20stolen");
        var cleared = await api.DeleteAsync("/api/admin/users/alice/otp-lock");
        var removedAll = await api.DeleteAsync("/api/admin/users/alice/devices?reason=offboarding");
        var after = await OidcScenario.JsonAsync(await api.GetAsync("/api/admin/users/alice/devices"));
        var events = await AdminScenario.EventsAboutAsync(oidc, "alice");

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal("Phone", (await OidcScenario.JsonAsync(listed)).EnumerateArray().Single().GetProperty("name").GetString());
        Assert.DoesNotContain("secret", await listed.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.EndsWith($"/api/admin/users/alice/devices/{addedId}", added.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("/account", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, removedOne.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, removedAll.StatusCode);
        Assert.Equal(0, after.GetArrayLength());
        Assert.Contains(events, e => e.Type == "otp.added" && e.Actor == $"client:{AdminScenario.ApiClient}");
        Assert.Contains(events, e => e.Type == "otp.removed" && e.Details!.Contains("tablet stolen", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "otp.unlocked" && e.Actor == $"client:{AdminScenario.ApiClient}");
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task BadInput_ClearProblem_NothingChanged(DatabaseKind kind)
    {
        await using var oidc = await AdminScenario.StartAsync(kind);
        var api = await ApiAsync(oidc, "idp:admin");

        var unknownUser = await api.GetAsync("/api/admin/users/nobody/devices");
        var unknownDevice = await api.DeleteAsync("/api/admin/users/alice/devices/nope?reason=x");
        var noReason = await api.DeleteAsync("/api/admin/users/alice/devices/Phone");
        var malformed = await api.PostAsync("/api/admin/users/alice/devices", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));
        var notBase32 = await api.PostAsync("/api/admin/users/alice/devices", Json(new { name = "Tablet", secret = "not+base32!" }));
        var shortKey = await api.PostAsync("/api/admin/users/alice/devices", Json(new { name = "Tablet", secret = "GEZDGNBV" }));
        var duplicate = await api.PostAsync("/api/admin/users/alice/devices", Json(new { name = "phone", secret = NewKey }));
        var hotp = await api.PostAsync("/api/admin/users/alice/devices", Json(new { type = "HOTP", name = "Token", secret = NewKey }));
        var oversized = await api.PostAsync("/api/admin/users/alice/devices", Json(new { name = "Tablet", secret = NewKey, reason = new string('x', 20_000) }));
        var notJson = await api.PostAsync("/api/admin/users/alice/devices", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x" }));

        Assert.Equal(HttpStatusCode.NotFound, unknownUser.StatusCode);
        Assert.Equal("application/problem+json", unknownUser.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownDevice.StatusCode);
        foreach (var bad in new[] { noReason, malformed, notBase32, shortKey, duplicate, hotp, oversized, notJson })
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.False(string.IsNullOrEmpty((await OidcScenario.JsonAsync(bad)).GetProperty("title").GetString()));
        }

        Assert.Contains("Base32", await notBase32.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Phone", Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Name);
    }

    [Fact]
    public async Task WithoutTheRightToken_401Or403_WithBearerChallenge()
    {
        // Second factor off, so that alice gets a user token with a password alone.
        await using var oidc = await AdminScenario.StartAsync(DatabaseKind.Sqlite, ("Otp:Activation", "Off"));
        var client = oidc.Host.CreateBrowser();
        var noToken = await client.GetAsync("/api/admin/users/alice/devices");
        var badToken = await SendAsync(client, "not.a.jwt");
        var wrongScope = await SendAsync(client, await TokenAsync(oidc, "api:read"));
        var userToken = await SendAsync(client, (await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser())).GetProperty("access_token").GetString()!);
        var description = await client.GetAsync("/api/admin/openapi.json");

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Contains("error=\"invalid_token\"", badToken.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", wrongScope.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, userToken.StatusCode);
        var openApi = await OidcScenario.JsonAsync(description);
        Assert.Equal("3.0.3", openApi.GetProperty("openapi").GetString());
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/users/{username}/devices/{device}", out _));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/tokens/{serial}/{action}", out _));
        // The key types come from the registered kinds of factor: TOTP from the OTP plugin.
        var newDeviceType = openApi.GetProperty("components").GetProperty("schemas").GetProperty("NewDevice").GetProperty("properties").GetProperty("type");
        Assert.Equal(["TOTP"], newDeviceType.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("TOTP", newDeviceType.GetProperty("default").GetString());
    }

    private static async Task<HttpClient> ApiAsync(OidcScenario oidc, string scope)
    {
        var client = oidc.Host.CreateBrowser();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(oidc, scope));
        return client;
    }

    private static async Task<string> TokenAsync(OidcScenario oidc, string scope)
    {
        var response = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope }, (AdminScenario.ApiClient, AdminScenario.ApiSecret));
        return (await OidcScenario.JsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/users/alice/devices");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
