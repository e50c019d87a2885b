using System.Net;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;

namespace Idp.Tests.Accounts;

public sealed class SetupLinkTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Setup_EmptyDatabase_PrintsOneLinkShowingTheForm(DatabaseKind kind)
    {
        // No tables at all, as README's first command meets it: the start-up migrates, then prints the link.
        await using var scenario = await Scenario.StartOnAsync(await TestDatabase.CreateEmptyAsync(kind));
        var link = Assert.Single(scenario.Host.SetupLinks.Links);

        var response = await scenario.Host.CreateBrowser().GetAsync(link.PathAndQuery);
        var page = await HtmlForm.ParseAsync(response);

        Assert.StartsWith(IdpTestHost.BaseUrl + "setup?token=", link.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("new-password", page.QuerySelector("#password")!.GetAttribute("autocomplete"));
        Assert.Equal("new-password", page.QuerySelector("#confirm")!.GetAttribute("autocomplete"));
        Assert.NotNull(page.QuerySelector("label[for=username]"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Setup_ValidLink_CreatesAdministrator_AndTheLinkIsThenGone(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var browser = scenario.Host.CreateBrowser();

        await scenario.CreateAdminThroughSetupAsync(browser);
        var reuse = await browser.GetAsync(scenario.SetupPath);

        Assert.Equal(HttpStatusCode.Gone, reuse.StatusCode);
        Assert.Contains("expired or has already been used", await reuse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var admin = await users.FindByNameAsync(Scenario.AdminName);
        Assert.NotNull(admin);
        Assert.True(await users.IsInRoleAsync(admin, "admin"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Setup_ReusedLinkPost_RefusedWithoutCreatingASecondAccount(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var first = scenario.Host.CreateBrowser();
        var second = scenario.Host.CreateBrowser();
        var page = await HtmlForm.ParseAsync(await second.GetAsync(scenario.SetupPath));

        await scenario.CreateAdminThroughSetupAsync(first);
        var late = await second.PostAsync(scenario.SetupPath, new FormUrlEncodedContent(HtmlForm.Fields(page, new Dictionary<string, string>
        {
            ["UserName"] = "intruder",
            ["Password"] = "another long password",
            ["ConfirmPassword"] = "another long password",
        })));

        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>().FindByNameAsync("intruder"));
    }

    [Theory]
    [InlineData("/setup?token=forgedforgedforgedforgedforgedforgedforged")]
    [InlineData("/setup")]
    [InlineData("/setup?token=%3Cscript%3E")]
    public async Task Setup_ForgedOrMissingToken_Answers404WithExplanation(string path)
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);

        var response = await scenario.Host.CreateBrowser().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not one this server issued", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Setup_ExpiredLink_Answers410(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        scenario.Host.Time.Advance(TimeSpan.FromMinutes(31));

        var response = await scenario.Host.CreateBrowser().GetAsync(scenario.SetupPath);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Theory]
    [InlineData("admin", "short", "short", "at least 12 characters")]
    [InlineData("admin", "long enough password", "different password!", "not the same")]
    [InlineData("", "long enough password", "long enough password", "Choose a username.")]
    [InlineData("bad name!", "long enough password", "long enough password", "may contain only")]
    [InlineData("admin", "", "", "Choose a password.")]
    public async Task Setup_BadInput_ClearErrorAndLinkStillUsable(string userName, string password, string confirm, string expected)
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        var browser = scenario.Host.CreateBrowser();

        var response = await HtmlForm.SubmitAsync(browser, scenario.SetupPath, new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["ConfirmPassword"] = confirm,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await scenario.CreateAdminThroughSetupAsync(browser);
    }

    [Fact]
    public async Task Setup_OversizedUserName_Refused()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);

        var response = await HtmlForm.SubmitAsync(scenario.Host.CreateBrowser(), scenario.SetupPath, new Dictionary<string, string>
        {
            ["UserName"] = new string('a', 65),
            ["Password"] = "long enough password",
            ["ConfirmPassword"] = "long enough password",
        });

        Assert.Contains("at most 64 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_PostWithoutAntiforgeryToken_Rejected()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        var browser = scenario.Host.CreateBrowser();
        var token = System.Web.HttpUtility.ParseQueryString(new Uri(IdpTestHost.BaseUrl + scenario.SetupPath.TrimStart('/')).Query)["token"]!;

        var response = await browser.PostAsync("/setup", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Token"] = token,
            ["UserName"] = "admin",
            ["Password"] = "long enough password",
            ["ConfirmPassword"] = "long enough password",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(scenario.SetupPath)).StatusCode);
    }

    [Fact]
    public async Task Setup_RestartAfterAdministratorExists_PrintsNoLink()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using (var first = await IdpTestHost.StartAsync(database))
        {
            var browser = first.CreateBrowser();
            var response = await HtmlForm.SubmitAsync(browser, first.SetupLinks.Links[0].PathAndQuery, new Dictionary<string, string>
            {
                ["UserName"] = "admin",
                ["Password"] = "long enough password",
                ["ConfirmPassword"] = "long enough password",
            });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        await using var second = await IdpTestHost.StartAsync(database);
        Assert.Empty(second.SetupLinks.Links);
        await database.DisposeAsync();
    }
}
