using System.Net;
using Idp.Accounts;
using Idp.Admin;
using Idp.Audit;
using Idp.Tests.Cli;
using Idp.Tests.Hardening;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.UserStores;

/// <summary>
/// Idp:StoreCache: the resolver and user lookup caches skip the directory's search, never its bind; a flush (CLI,
/// /admin) makes the next sign-in ask afresh; a cached DN gone stale is found again, not counted against the person.
/// </summary>
public sealed class LdapCacheTests
{
    private const string Password = "the directory's own password";

    private static readonly Dictionary<string, string?> Cached = new()
    {
        ["Idp:StoreCache:ResolverLifetime"] = "00:10:00",
        ["Idp:StoreCache:UserLifetime"] = "00:10:00",
    };

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ACachedPerson_KeepsTheirAttributesUntilAFlush_ButTheirPasswordIsAlwaysAsked(DatabaseKind kind)
    {
        await using var ldap = await LdapScenario.StartAsync(kind, more: Cached);
        var login = LdapScenario.NewLogin("kim");
        var dn = await ldap.Directory.AddPersonAsync(login, Password, displayName: "Kim Before");

        var first = await SignInAsync(ldap, login, Password);
        await RenameInDirectoryAsync(ldap, dn, "Kim Second");
        await SignInAsync(ldap, login, Password);
        var whileCached = await NameAsync(ldap, login);
        await ldap.Directory.SetPasswordAsync(dn, "a changed password");
        var oldPassword = await SignInAsync(ldap, login, Password);
        var newPassword = await SignInAsync(ldap, login, "a changed password");
        await RenameInDirectoryAsync(ldap, dn, "Kim Third");
        await SignInAsync(ldap, login, "a changed password");
        var stillCached = await NameAsync(ldap, login);
        var flushed = await FlushAsync(ldap, login);
        await SignInAsync(ldap, login, "a changed password");
        var afterFlush = await NameAsync(ldap, login);
        var audited = await HardeningDb.AuditAsync(ldap.Host.Services, AuditEventTypes.StoreCacheFlushed);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("Kim Before", whileCached);
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, newPassword.StatusCode);
        Assert.Equal("Kim Second", stillCached);
        Assert.True(flushed.Succeeded, flushed.Message);
        Assert.Equal("Kim Third", afterFlush);
        Assert.Single(audited);
    }

    [Fact]
    public async Task WithoutTheCache_ADirectoryChangeShowsAtTheNextSignIn()
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite);
        var login = LdapScenario.NewLogin("lou");
        var dn = await ldap.Directory.AddPersonAsync(login, Password, displayName: "Lou Before");

        await SignInAsync(ldap, login, Password);
        await RenameInDirectoryAsync(ldap, dn, "Lou After");
        await SignInAsync(ldap, login, Password);

        Assert.Equal("Lou After", await NameAsync(ldap, login));
    }

    /// <summary>
    /// A DN is not an identity: after a rename, the cached DN may name someone else's entry. Whoever binds to it with
    /// their own password must not get the cached person's account (their devices, sessions, roles).
    /// </summary>
    [Fact]
    public async Task ACachedDnThatNowNamesSomeoneElse_DoesNotSignThemInAsTheCachedPerson()
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite, more: Cached);
        var login = LdapScenario.NewLogin("mo");
        await ldap.Directory.AddPersonAsync(login, Password);
        await SignInAsync(ldap, login, Password);
        await ldap.Directory.RenameAsync(login, login + "x");
        await ldap.Directory.AddPersonAsync(login, "the newcomer's password");

        var newcomerWhileCached = await SignInAsync(ldap, login, "the newcomer's password");
        var renamed = await SignInAsync(ldap, login + "x", Password);
        var newcomerAfter = await SignInAsync(ldap, login, "the newcomer's password");
        var records = await HardeningDb.QueryAsync(ldap.Host.Services, db => db.Users.AsNoTracking().Where(u => u.StoreName == "corp").Select(u => u.UserName!).ToListAsync());

        Assert.Equal(HttpStatusCode.OK, newcomerWhileCached.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, newcomerAfter.StatusCode);
        Assert.Equal(new[] { login, login + "x" }.Order(StringComparer.Ordinal), records.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheCli_FlushesOnePersonOrEveryone()
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite, more: Cached);
        var login = LdapScenario.NewLogin("ned");
        await ldap.Directory.AddPersonAsync(login, Password);
        await SignInAsync(ldap, login, Password);
        var settings = LdapScenario.Settings(ldap.Directory.Url);
        foreach (var (key, value) in Cached)
        {
            settings[key] = value;
        }

        var cli = new CliRunner(ldap.Scenario.Database, extra: settings);

        var one = await cli.RunAsync("stores", "flush", login, "--reason", "renamed in HR");
        var all = await cli.RunAsync("stores", "flush", "--all");
        await ldap.Scenario.CreateUserAsync("localann", TestUsers.Password);
        var local = await cli.RunAsync("stores", "flush", "localann");

        Assert.Equal(0, one.ExitCode);
        Assert.Contains("asks the user store corp afresh", one.Output, StringComparison.Ordinal);
        Assert.Equal(0, all.ExitCode);
        Assert.Equal("Flushed 0 cached lookup(s).", all.Output.Trim());
        Assert.Equal(1, local.ExitCode);
    }

    /// <summary>A new display name (cn) in the directory.</summary>
    private static Task RenameInDirectoryAsync(LdapScenario ldap, string dn, string displayName)
        => ldap.Directory.ModifyAsync($"dn: {dn}\nchangetype: modify\nreplace: cn\ncn: {displayName}\n\n");

    private static Task<HttpResponseMessage> SignInAsync(LdapScenario ldap, string login, string password)
        => ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, password);

    private static Task<string?> NameAsync(LdapScenario ldap, string login)
        => HardeningDb.QueryAsync(ldap.Host.Services, db => db.Users.AsNoTracking().Where(u => u.UserName == login).Select(u => u.DisplayName).SingleAsync());

    private static async Task<AdminOutcome> FlushAsync(LdapScenario ldap, string login)
    {
        await using var scope = ldap.Host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        return await admin.FlushDirectoryCacheAsync((await admin.FindAsync(login))!, "test", new AdminActor("admin", null), CancellationToken.None);
    }
}
