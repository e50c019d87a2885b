using System.Net;
using System.Net.Http.Headers;
using Idp.Tests.Admin;
using Idp.Tests.Oidc;

namespace Idp.Tests.Tokens;

/// <summary>/admin/tokens over HTTP: the upload, the search and every action, for administrators only, antiforgery-checked.</summary>
public sealed class TokenAdminWebTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AnAdministratorUploadsAssignsDisablesAndDeletes_EachAuditedWithTheirName(DatabaseKind kind)
    {
        await using var oidc = await AdminScenario.StartAsync(kind);
        await oidc.Inner.CreateUserAsync("carol", OidcScenario.Password);
        var admin = await AdminScenario.SignInWithCodeAsync(oidc, AdminScenario.AdminName);

        var uploaded = await UploadAsync(admin, TokenTestFiles.Figure(6), ("preSharedKey", TokenTestFiles.Figure6Key));
        Assert.True(uploaded.StatusCode == HttpStatusCode.Redirect, await HtmlForm.AlertAsync(uploaded));
        var list = await HtmlForm.ParseAsync(await admin.GetAsync("/admin/tokens?q=987&state=unassigned"));
        var tokenPath = $"/admin/tokens/{TokenTestFiles.RfcSerial}";
        var assigned = await HtmlForm.SubmitAsync(admin, tokenPath, new Dictionary<string, string> { ["user"] = "carol", ["Reason"] = "welcome pack" }, "form[action*='handler=assign']");
        var signsIn = await TokenSignInTests.SignsInAsync(oidc.Inner, TokenTestFiles.RfcCodes8[0], "carol");
        var disabled = await HtmlForm.SubmitAsync(admin, tokenPath, new Dictionary<string, string> { ["Reason"] = "left on a train" }, "form[action*='handler=disable']");
        var page = await HtmlForm.ParseAsync(await admin.GetAsync(tokenPath));
        var refused = await TokenSignInTests.SignInAsync(oidc.Inner, "carol");
        var deleteWithoutReason = await HtmlForm.SubmitAsync(admin, tokenPath, new Dictionary<string, string> { ["Reason"] = " " }, "form[action*='handler=delete']");
        var deleted = await HtmlForm.SubmitAsync(admin, tokenPath, new Dictionary<string, string> { ["Reason"] = "written off" }, "form[action*='handler=delete']");

        Assert.Contains(list.QuerySelectorAll("a"), a => a.GetAttribute("href") == tokenPath);
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.True(signsIn);
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Equal("assigned, disabled", page.QuerySelector("#token-state")!.TextContent);
        Assert.Contains("Your second factor is disabled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, deleteWithoutReason.StatusCode);
        Assert.Contains("Give a reason", await HtmlForm.AlertAsync(deleteWithoutReason), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var events = await TokenSignInTests.AdminEventsAsync(oidc.Inner);
        foreach (var (type, reason) in new[] { ("token.assigned", "welcome pack"), ("token.disabled", "left on a train"), ("token.deleted", "written off") })
        {
            Assert.Contains(events, e => e.Type == type && e.Actor.StartsWith("admin:", StringComparison.Ordinal) && e.Details!.Contains(reason, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ABadFile_IsRefusedWhole_AndTheOthersAreKeptOut()
    {
        await using var oidc = await AdminScenario.StartAsync(DatabaseKind.Sqlite);
        var admin = await AdminScenario.SignInWithCodeAsync(oidc, AdminScenario.AdminName);
        var alice = await AdminScenario.SignInWithCodeAsync(oidc, "alice");
        var bad = await TokenTestFiles.WriteAsync("GOOD, 3132333435363738393031323334353637383930, hotp, 6, 0\nBAD, 31zz, hotp, 6, 0\n");

        var refused = await UploadAsync(admin, bad);
        var withoutAntiforgery = await admin.PostAsync("/admin/tokens?handler=import", new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(bad)), "File", "t.csv" } });
        var notAnAdmin = await alice.GetAsync("/admin/tokens");
        var anonymous = await oidc.Host.CreateBrowser().GetAsync("/admin/tokens/987654321");
        var listed = await HtmlForm.ParseAsync(await admin.GetAsync("/admin/tokens"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Nothing imported: line 2: the seed of BAD is not hex", await HtmlForm.AlertAsync(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutAntiforgery.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, notAnAdmin.StatusCode);
        Assert.Contains("/account/denied", notAnAdmin.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("No token matches.", listed.Body!.TextContent, StringComparison.Ordinal);
    }

    /// <summary>The upload form, filled as a browser would: its antiforgery token, the file, and the other fields.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient admin, string path, params (string Name, string Value)[] fields)
    {
        var form = HtmlForm.Fields(await HtmlForm.ParseAsync(await admin.GetAsync("/admin/tokens")), selector: "form[enctype]");
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        var content = new MultipartFormDataContent();
        foreach (var (name, value) in form.Where(f => f.Key != "File"))
        {
            content.Add(new StringContent(value), name);
        }

        var file = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "File", System.IO.Path.GetFileName(path));
        return await admin.PostAsync("/admin/tokens?handler=import", content);
    }
}
