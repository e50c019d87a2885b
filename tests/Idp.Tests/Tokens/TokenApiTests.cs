using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Idp.Otp.Tokens;
using Idp.Tests.Admin;
using Idp.Tests.Oidc;

namespace Idp.Tests.Tokens;

/// <summary>/api/admin/tokens with a client-credentials token: the pool's actions for machine clients, audited with the client as actor.</summary>
public sealed class TokenApiTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ImportAssignDisableResyncExportDelete_ThroughTheApi(DatabaseKind kind)
    {
        await using var oidc = await AdminScenario.StartAsync(kind);
        var api = await ApiAsync(oidc, "idp:admin");
        await oidc.Inner.CreateUserAsync("carol", OidcScenario.Password);

        var imported = await api.PostAsync("/api/admin/tokens/import", Json(new { content = Base64(TokenTestFiles.Figure(6)), preSharedKey = TokenTestFiles.Figure6Key }));
        var listed = await OidcScenario.JsonAsync(await api.GetAsync("/api/admin/tokens?state=unassigned&q=9876"));
        var assigned = await api.PostAsync($"/api/admin/tokens/{TokenTestFiles.RfcSerial}/assign", Json(new { user = "carol", reason = "courier delivered" }));
        var found = await OidcScenario.JsonAsync(await api.GetAsync($"/api/admin/tokens/{TokenTestFiles.RfcSerial}"));
        var scenario = oidc.Inner;

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(1, (await OidcScenario.JsonAsync(imported)).GetProperty("imported").GetInt32());
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Equal(("carol", "assigned"), (found.GetProperty("userName").GetString(), found.GetProperty("state").GetString()));
        Assert.True(await TokenSignInTests.SignsInAsync(scenario, TokenTestFiles.RfcCodes8[0], "carol"));

        var disabled = await api.PostAsync($"/api/admin/tokens/{TokenTestFiles.RfcSerial}/disable", Json(new { reason = "lost" }));
        var refusedWhileDisabled = await TokenSignInTests.SignInAsync(scenario, "carol");
        var enabled = await api.PostAsync($"/api/admin/tokens/{TokenTestFiles.RfcSerial}/enable", Json(new { }));
        var resync = await api.PostAsync($"/api/admin/tokens/{TokenTestFiles.RfcSerial}/resync", Json(new { code1 = await OathTool.HotpAsync(TestOtp.Seed, 30), code2 = await OathTool.HotpAsync(TestOtp.Seed, 31) }));
        var export = await api.PostAsync("/api/admin/tokens/export", Json(new { serial = TokenTestFiles.RfcSerial }));
        var exportedBytes = await export.Content.ReadAsByteArrayAsync();
        var noReason = await api.DeleteAsync($"/api/admin/tokens/{TokenTestFiles.RfcSerial}");
        var deleted = await api.DeleteAsync($"/api/admin/tokens/{TokenTestFiles.RfcSerial}?reason=returned%20to%20vendor");

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Contains("Your second factor is disabled", await refusedWhileDisabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Equal("The token 987654321 is in step again: its next counter is 32.", (await OidcScenario.JsonAsync(resync)).GetProperty("message").GetString());
        Assert.Equal("application/pskc+xml", export.Content.Headers.ContentType!.MediaType);
        // An inventory: serial and counter, never the secret (that leaves only through the command line).
        var inventory = Encoding.UTF8.GetString(exportedBytes);
        Assert.Contains("<SerialNo>987654321</SerialNo>", inventory, StringComparison.Ordinal);
        Assert.Matches("<Counter>\\s*<PlainValue>32</PlainValue>", inventory);
        Assert.DoesNotContain("Secret", inventory, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var events = await TokenSignInTests.AdminEventsAsync(scenario);
        foreach (var type in new[] { "token.imported", "token.assigned", "token.disabled", "token.enabled", "token.resynced", "token.exported", "token.deleted" })
        {
            Assert.Contains(events, e => e.Type == type && e.Actor == $"client:{AdminScenario.ApiClient}");
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task BadRequests_GetAClearProblem_AndChangeNothing(DatabaseKind kind)
    {
        await using var oidc = await AdminScenario.StartAsync(kind);
        var api = await ApiAsync(oidc, "idp:admin");
        var anonymous = oidc.Host.CreateBrowser();
        var reader = await ApiAsync(oidc, "api:read");

        var cases = new (HttpResponseMessage Response, HttpStatusCode Status, string Title)[]
        {
            (await api.PostAsync("/api/admin/tokens/import", Json(new { content = "not base64!" })), HttpStatusCode.BadRequest, "content must be the token file in Base64."),
            (await api.PostAsync("/api/admin/tokens/import", Json(new { content = Base64(TokenTestFiles.Figure(3)), format = "xml" })), HttpStatusCode.BadRequest, "format must be pskc or oath-csv."),
            (await api.PostAsync("/api/admin/tokens/import", Json(new { content = Base64(TokenTestFiles.Figure(6)), preSharedKey = "12zz" })), HttpStatusCode.BadRequest, "preSharedKey must be 32, 48 or 64 hex digits."),
            (await api.PostAsync("/api/admin/tokens/import", Json(new { content = Base64(TokenTestFiles.Figure(6)) })), HttpStatusCode.BadRequest, "Nothing imported: file: its secrets are encrypted under the pre-shared key \"Pre-shared-key\": give that key"),
            (await api.PostAsync("/api/admin/tokens/import", new StringContent("{\"content\":", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "The body is not valid JSON"),
            (await api.PostAsync("/api/admin/tokens/987654321/explode", Json(new { })), HttpStatusCode.NotFound, "No token action 'explode'"),
            (await api.PostAsync("/api/admin/tokens/NOPE/disable", Json(new { })), HttpStatusCode.NotFound, "No token 'NOPE' in the pool."),
            (await api.GetAsync("/api/admin/tokens?state=lost"), HttpStatusCode.BadRequest, "state must be all, unassigned, assigned or disabled."),
            (await api.GetAsync("/api/admin/tokens?take="), HttpStatusCode.BadRequest, "skip and take must be whole numbers."),
            (await api.GetAsync("/api/admin/tokens?skip=ten"), HttpStatusCode.BadRequest, "skip and take must be whole numbers."),
            (await api.GetAsync("/api/admin/tokens?take=99999999999"), HttpStatusCode.BadRequest, "skip and take must be whole numbers."),
            (await api.PostAsync("/api/admin/tokens/export", Json(new { preSharedKey = "000102030405060708090a0b0c0d0e0f" })), HttpStatusCode.BadRequest, "Secrets are not exported over the API"),
            (await anonymous.GetAsync("/api/admin/tokens"), HttpStatusCode.Unauthorized, string.Empty),
            // Who asks comes before what is asked.
            (await anonymous.GetAsync("/api/admin/tokens?skip=ten"), HttpStatusCode.Unauthorized, string.Empty),
            (await reader.GetAsync("/api/admin/tokens"), HttpStatusCode.Forbidden, string.Empty),
        };

        foreach (var (response, status, title) in cases)
        {
            Assert.Equal(status, response.StatusCode);
            if (title.Length > 0)
            {
                Assert.StartsWith(title, (await OidcScenario.JsonAsync(response)).GetProperty("title").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(0, (await OidcScenario.JsonAsync(await api.GetAsync("/api/admin/tokens"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AnImportBody_MayPassTheGeneralBodyLimit_UpToTheTokenFileLimit_AndNoFurther()
    {
        await using var oidc = await AdminScenario.StartAsync(DatabaseKind.Sqlite);
        var api = await ApiAsync(oidc, "idp:admin");
        var rows = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"BULK-{i:D5}, 3132333435363738393031323334353637383930, hotp, 6, 0\n");
        }

        var large = await api.PostAsync("/api/admin/tokens/import", Json(new { content = Convert.ToBase64String(Encoding.UTF8.GetBytes(rows.ToString())) }));
        var tooLarge = await api.PostAsync("/api/admin/tokens/import", Json(new { content = new string('A', TokenFileLimits.MaxBytes / 3 * 4 + 128 * 1024) }));
        var elsewhere = await api.PostAsync("/api/admin/users/alice/devices", Json(new { name = new string('x', 100 * 1024) }));

        Assert.True(rows.Length > 64 * 1024);
        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.Equal(3000, (await OidcScenario.JsonAsync(large)).GetProperty("imported").GetInt32());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, elsewhere.StatusCode);
    }

    internal static async Task<HttpClient> ApiAsync(OidcScenario oidc, string scope)
    {
        var response = await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope }, (AdminScenario.ApiClient, AdminScenario.ApiSecret));
        var client = oidc.Host.CreateBrowser();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await OidcScenario.JsonAsync(response)).GetProperty("access_token").GetString());
        return client;
    }

    private static string Base64(string path) => Convert.ToBase64String(File.ReadAllBytes(path));

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
