using System.Net;

namespace Idp.Tests.Accounts;

/// <summary>Sessions and data-protection keys live in the database: restarts and other nodes see the same sessions.</summary>
public sealed class SessionTests
{
    private const string Password = TestUsers.Password;

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Session_SurvivesARestartOnTheSameDatabase(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        string cookieHeader;
        await using (var first = await IdpTestHost.StartAsync(database))
        {
            await CreateUserAsync(first);
            var browser = first.CreateBrowser();
            var signIn = await HtmlForm.SubmitAsync(browser, "/account/login", new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = Password });
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            cookieHeader = SessionCookie(signIn);
        }

        await using var second = await IdpTestHost.StartAsync(database);
        var response = await GetWithCookieAsync(second.CreateBrowser(), "/account", cookieHeader);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Session_SignOutOnOneNode_EndsItOnTheOther(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var nodeA = await IdpTestHost.StartAsync(database);
        await using var nodeB = await IdpTestHost.StartAsync(database);
        await CreateUserAsync(nodeA);
        var browser = nodeA.CreateBrowser();
        var signIn = await HtmlForm.SubmitAsync(browser, "/account/login", new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = Password });
        var cookie = SessionCookie(signIn);

        var onB = await GetWithCookieAsync(nodeB.CreateBrowser(), "/account", cookie);
        await HtmlForm.SubmitAsync(browser, "/account/logout", new Dictionary<string, string>());
        var onBAfter = await GetWithCookieAsync(nodeB.CreateBrowser(), "/account", cookie);

        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, onBAfter.StatusCode);
    }

    [Fact]
    public async Task Session_DataProtectionKeysInDatabase_AreEncrypted()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var host = await IdpTestHost.StartAsync(database);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Idp.Persistence.IdpDbContext>();

        var xml = Assert.Single(db.DataProtectionKeys.Select(k => k.Xml).ToList());

        Assert.Contains("idpEncryptedKey", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
    }

    private static async Task CreateUserAsync(IdpTestHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Idp.Persistence.Entities.IdpUser>>();
        Assert.True((await users.CreateAsync(new Idp.Persistence.Entities.IdpUser { UserName = "alice" }, Password)).Succeeded);
    }

    private static string SessionCookie(HttpResponseMessage response)
        => response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-idp.session=", StringComparison.Ordinal) && !c.StartsWith("__Host-idp.session=;", StringComparison.Ordinal)).Split(';')[0];

    private static Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }
}
