using System.Net;
using Idp.Tests.Admin;
using Idp.Tests.Cli;

namespace Idp.Tests.UserStores;

/// <summary>Administrators search a directory store page by page (/admin/stores, <c>Idp stores search</c>), past the directory's size limit.</summary>
public sealed class DirectorySearchTests
{
    /// <summary>
    /// The directory returns at most 30 entries to an unpaged search, and 30 a page (as Active Directory's MaxPageSize
    /// does): 70 people are reached only with RFC 2696 paged results, four directory pages of 20. Three pages of 25
    /// on /admin list each of them once.
    /// </summary>
    [Fact]
    public async Task AnAdministrator_PagesThroughMorePeopleThanTheDirectoryReturnsAtOnce()
    {
        await using var directory = await OpenLdapServer.StartAsync(readerSizeLimit: 30);
        var prefix = LdapScenario.NewLogin("pg");
        await directory.AddPeopleAsync(prefix, 70, "a password");
        await directory.AddPersonAsync(LdapScenario.NewLogin("other"), "a password");
        await using var oidc = await AdminScenario.StartAsync(DatabaseKind.Sqlite, [.. LdapScenario.Settings(directory.Url).Select(s => (s.Key, s.Value!)), ("Idp:Stores:0:Ldap:SearchPageSize", "20")]);
        var browser = await AdminScenario.SignInWithCodeAsync(oidc, AdminScenario.AdminName);
        await oidc.Inner.SignInAsync(oidc.Host.CreateBrowser(), $"{prefix}7", "a password");

        var pages = new List<AngleSharp.Html.Dom.IHtmlDocument>();
        for (var page = 1; page <= 3; page++)
        {
            var response = await browser.GetAsync($"/admin/stores?store=corp&q={prefix}&pageNumber={page}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add(await HtmlForm.ParseAsync(response));
        }

        var personPage = await HtmlForm.ParseAsync(await browser.GetAsync($"/admin/users/{prefix}7"));
        var alice = await AdminScenario.SignInWithCodeAsync(oidc, "alice");
        var notAnAdministrator = await alice.GetAsync($"/admin/stores?store=corp&q={prefix}");
        var anonymous = await oidc.Host.CreateBrowser().GetAsync($"/admin/stores?store=corp&q={prefix}");

        Assert.Equal(["corp"], personPage.QuerySelectorAll("dt").Where(dt => dt.TextContent == "Realms").Select(dt => dt.NextElementSibling!.TextContent));
        Assert.Equal("/account/denied", notAnAdministrator.Headers.Location!.OriginalString);
        Assert.Contains("/account/login", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var logins = pages.SelectMany(p => p.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent)).ToList();
        var links = pages.SelectMany(p => p.QuerySelectorAll("tbody tr td:first-child a").Select(a => a.GetAttribute("href"))).ToList();
        Assert.Equal([25, 25, 20], pages.Select(p => p.QuerySelectorAll("tbody tr").Length));
        Assert.Equal(Enumerable.Range(0, 70).Select(i => $"{prefix}{i}").Order(), logins.Order());
        Assert.NotNull(pages[0].QuerySelector("a[rel=next]"));
        Assert.Null(pages[2].QuerySelector("a[rel=next]"));
        Assert.Equal($"/admin/stores?store=corp&q={prefix}&pageNumber=2", pages[2].QuerySelector("a[rel=prev]")!.GetAttribute("href"));
        var signedIn = pages.SelectMany(p => p.QuerySelectorAll("tbody tr")).Where(r => r.QuerySelectorAll("td")[3].TextContent == "yes").Select(r => r.QuerySelector("td")!.TextContent);
        Assert.Equal([$"{prefix}7"], signedIn);
        Assert.Equal([$"/admin/users/{prefix}7"], links);
    }

    /// <summary>Wildcards and parentheses in the search text are matched as themselves (RFC 4515 §3), never widened to everyone.</summary>
    [Theory]
    [InlineData("*")]
    [InlineData("*)(uid=*")]
    [InlineData("\\2a")]
    public async Task TheSearchText_CannotWidenAnLdapSearch(string text)
    {
        var directory = await SharedLdap.GetAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database, extra: LdapScenario.Settings(directory.Url));

        var search = await cli.RunAsync("stores", "search", "corp", text);

        Assert.Equal(0, search.ExitCode);
        Assert.Equal("# 0 on this page, the last", search.Output.Trim().Split('\n')[^1]);
    }

    /// <summary>In a SQL store, '%' and '_' in the text are themselves, not LIKE wildcards; pages come from OFFSET.</summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ASqlStore_PagesItsTable_AndLikeWildcardsAreLiteral(DatabaseKind kind)
    {
        await using var people = await SqlPeople.CreateAsync(kind);
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database, extra: SqlScenario.Settings(people));
        for (var i = 0; i < 23; i++)
        {
            await people.AddAsync($"clerk{i:D2}", "x", $"Clerk {i}");
        }

        await people.AddAsync("under_score", "x", "Has an underscore");

        var first = await cli.RunAsync("stores", "search", "shop", "CLERK");
        var second = await cli.RunAsync("stores", "search", "shop", "clerk", "--page", "2");
        var percent = await cli.RunAsync("stores", "search", "shop", "%");
        var underscore = await cli.RunAsync("stores", "search", "shop", "_");
        var tooFar = await cli.RunAsync("stores", "search", "shop", "clerk", "--page", "51");

        Assert.Equal(20, Rows(first).Count);
        Assert.Equal("# more: --page 2", first.Output.Trim().Split('\n')[^1]);
        Assert.Equal(["clerk20", "clerk21", "clerk22"], Rows(second));
        Assert.Empty(Rows(percent));
        Assert.Equal(["under_score"], Rows(underscore));
        Assert.Equal(1, tooFar.ExitCode);
        Assert.Contains("--page must be from 1 to 50", tooFar.Error, StringComparison.Ordinal);
    }

    /// <summary>The logins a search printed (its table's first column).</summary>
    private static List<string> Rows(CliRunner.Result result)
        => result.Output.Split('\n').Skip(1).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ')[0]).ToList();
}
