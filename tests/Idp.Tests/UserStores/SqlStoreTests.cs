using System.Net;
using Idp.Accounts;
using Idp.Audit;
using Idp.Tests.Hardening;
using Idp.Tests.SecondFactor;
using Idp.Tests.Validation;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.UserStores;

/// <summary>People from another application's table (PostgreSQL or SQLite) sign in with that table's password, then the second factor.</summary>
public sealed class SqlStoreTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ATablePerson_SignsInWithTheTablesPassword_ThenACode(DatabaseKind kind)
    {
        await using var sql = await SqlScenario.StartAsync(kind);
        var login = LdapScenario.NewLogin("sam");
        await sql.AddPersonAsync(login, name: "Sam Shopkeeper");
        var linked = await sql.ResolveAsync(login);
        await SecondFactorScenario.GiveDeviceAsync(sql.Host, login);
        var browser = sql.Host.CreateBrowser();

        var password = await sql.Scenario.SignInAsync(browser, login.ToUpperInvariant(), SqlScenario.Password);
        var code = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(sql.Host));
        var account = await browser.GetAsync("/account");

        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.Equal("/account", code.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Equal("shop", linked!.StoreName);
        Assert.Null(linked.PasswordHash);
        Assert.Equal("Sam Shopkeeper", linked.DisplayName);
        Assert.Equal($"{login}@shop.example", linked.Email);
    }

    [Fact]
    public async Task AWrongPassword_IsRefused_AndTheAuditNamesTheStore()
    {
        await using var sql = await SqlScenario.StartAsync(DatabaseKind.Sqlite);
        var login = LdapScenario.NewLogin("eve");
        await sql.AddPersonAsync(login);

        var wrong = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, "not the password");
        var record = await sql.ResolveAsync(login);
        var failures = await HardeningDb.AuditAsync(sql.Host.Services, AuditEventTypes.SignInFailed);

        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(wrong));
        Assert.Equal(1, record!.AccessFailedCount);
        Assert.Contains(failures, f => f.SubjectUserId == record.Id && f.Details == "wrong password (store shop)");
    }

    /// <summary>With the user cache on, a changed password or a disabled row still counts at the next sign-in: the hash is read afresh every time.</summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task APasswordChangedOrARowDisabled_CountsAtOnce_EvenWithTheCacheOn(DatabaseKind kind)
    {
        await using var sql = await SqlScenario.StartAsync(kind, new Dictionary<string, string?> { ["Idp:StoreCache:ResolverLifetime"] = "00:10:00", ["Idp:StoreCache:UserLifetime"] = "00:10:00" });
        var login = LdapScenario.NewLogin("carol");
        var id = await sql.AddPersonAsync(login);

        var before = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, SqlScenario.Password);
        await sql.People.SetAsync(id, "password_hash", await SqlScenario.BcryptAsync("a brand new password"));
        var oldPassword = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, SqlScenario.Password);
        var newPassword = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, "a brand new password");
        await sql.People.DisableAsync(id);
        var disabled = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, "a brand new password");

        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(oldPassword));
        Assert.Equal(HttpStatusCode.Redirect, newPassword.StatusCode);
        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(disabled));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ALoginChangedInTheTable_KeepsTheRecord_ItsDevicesAndItsSubject(DatabaseKind kind)
    {
        await using var sql = await SqlScenario.StartAsync(kind);
        var login = LdapScenario.NewLogin("ren");
        var id = await sql.AddPersonAsync(login);
        var before = await sql.ResolveAsync(login);
        await SecondFactorScenario.GiveDeviceAsync(sql.Host, login);
        var renamed = login + "x";
        await sql.People.SetAsync(id, "username", renamed);
        var browser = sql.Host.CreateBrowser();

        var password = await sql.Scenario.SignInAsync(browser, renamed, SqlScenario.Password);
        var code = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(sql.Host));
        var oldLogin = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, SqlScenario.Password);
        var after = await HardeningDb.QueryAsync(sql.Host.Services, db => db.Users.AsNoTracking().SingleAsync(u => u.StoreName == "shop" && u.ExternalId == before!.ExternalId));

        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.Equal("/account", code.Headers.Location!.OriginalString);
        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(oldLogin));
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), before!.ExternalId);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.SubjectId, after.SubjectId);
        Assert.Equal(renamed, after.UserName);
    }

    /// <summary>
    /// A login Idp would not give a local account (a space, an apostrophe, letters outside ASCII) is the store's to
    /// choose: its person signs in with a code, is locked by wrong passwords, and is unlocked and locked again by
    /// an administrator, as anyone (Identity's user-name rules must not stand in the way of a lock).
    /// </summary>
    [Fact]
    public async Task ALoginIdpWouldNotGiveALocalAccount_SignsIn_IsLocked_AndUnlocked()
    {
        await using var sql = await SqlScenario.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:Lockout:MaxFailedAttempts"] = "2" });
        const string login = "jürgen o'brien";
        await sql.AddPersonAsync(login);
        await sql.ResolveAsync(login);
        await SecondFactorScenario.GiveDeviceAsync(sql.Host, login);
        var cli = new Cli.CliRunner(sql.Scenario.Database, extra: SqlScenario.Settings(sql.People));
        var browser = sql.Host.CreateBrowser();

        var password = await sql.Scenario.SignInAsync(browser, login, SqlScenario.Password);
        var code = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(sql.Host));
        await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, "guess 1");
        await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, "guess 2");
        var whileLocked = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, SqlScenario.Password);
        var unlock = await cli.RunAsync("users", "unlock", login, "--reason", "called the help desk");
        var afterUnlock = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, SqlScenario.Password);
        var lockByHand = await cli.RunAsync("users", "lock", login, "--reason", "laptop stolen");
        var afterLock = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, SqlScenario.Password);

        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.Equal("/account", code.Headers.Location!.OriginalString);
        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(whileLocked));
        Assert.True(unlock.ExitCode == 0, unlock.Error);
        Assert.Equal("/account/2fa", afterUnlock.Headers.Location?.OriginalString);
        Assert.True(lockByHand.ExitCode == 0, lockByHand.Error);
        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(afterLock));
    }

    /// <summary>
    /// A login with a bidi override shows another name than the one stored: it names no record. A display name is
    /// printed with its escape sequences inert.
    /// </summary>
    [Fact]
    public async Task ALoginWithHiddenCharacters_NamesNobody_AndTheCliPrintsDirectoryTextInert()
    {
        await using var sql = await SqlScenario.StartAsync(DatabaseKind.Sqlite);
        await sql.AddPersonAsync("bob\u202Eexe.txt");
        await sql.AddPersonAsync("carl", name: "Carl \u001b]0;owned\u0007");
        var cli = new Cli.CliRunner(sql.Scenario.Database, extra: SqlScenario.Settings(sql.People));

        var bidi = await sql.ResolveAsync("bob\u202Eexe.txt");
        var test = await cli.RunAsync("stores", "test", "shop", "--login", "carl");

        Assert.Null(bidi);
        Assert.Contains("name:   Carl ?]0;owned?", test.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", test.Output, StringComparison.Ordinal);
    }

    /// <summary>Each login would find the victim if it were pasted into the statement; with the victim's password it must still be refused.</summary>
    [Theory]
    [InlineData("{0}' OR '1'='1")]
    [InlineData("' OR 1=1 --")]
    [InlineData("{0}'--")]
    [InlineData("x') OR lower(username) LIKE '%")]
    [InlineData("{0}\"; DROP TABLE \"user\"; --")]
    public async Task ALogin_CannotChangeTheStatement(string pattern)
    {
        await using var sql = await SqlScenario.StartAsync(DatabaseKind.Postgres);
        var victim = LdapScenario.NewLogin("victim");
        await sql.AddPersonAsync(victim);
        var login = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, victim);

        var attempt = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, SqlScenario.Password);
        var linked = await HardeningDb.QueryAsync(sql.Host.Services, db => db.Users.CountAsync(u => u.StoreName == "shop"));
        var victimStill = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), victim, SqlScenario.Password);

        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(attempt));
        Assert.Equal(0, linked);
        Assert.Equal(HttpStatusCode.Redirect, victimStill.StatusCode);
    }

    /// <summary>PostgreSQL refuses NUL in text: a login holding one finds nobody instead of making the store look down.</summary>
    [Fact]
    public async Task ALoginWithNul_FindsNobody_AndTheStoreStillAnswers()
    {
        await using var people = await SqlPeople.CreateAsync(DatabaseKind.Postgres);
        var login = LdapScenario.NewLogin("nul");
        await people.AddAsync(login, "x");
        var settings = new Idp.UserStores.Sql.SqlStoreSettings { Provider = Idp.Hosting.DatabaseProvider.Postgres, ConnectionString = people.ConnectionString, Table = "user", HashFormat = Idp.UserStores.Sql.SqlHashFormat.Bcrypt };
        var store = new Idp.UserStores.Sql.SqlDirectoryStore("shop", settings, Microsoft.Extensions.Logging.Abstractions.NullLogger<Idp.UserStores.Sql.SqlDirectoryStore>.Instance);

        var withNul = await store.FindAsync(login + "\0", CancellationToken.None);
        var plain = await store.FindAsync(login, CancellationToken.None);

        Assert.Null(withNul);
        Assert.Equal(login, plain!.Login);
    }

    [Fact]
    public async Task ALoginThatIsOnePersonsNameAndAnothersEmail_NamesNobody()
    {
        await using var sql = await SqlScenario.StartAsync(DatabaseKind.Sqlite);
        var login = LdapScenario.NewLogin("amb");
        await sql.AddPersonAsync(login);
        await sql.People.AddAsync(LdapScenario.NewLogin("other"), await SqlScenario.BcryptAsync(SqlScenario.Password), email: login);

        var attempt = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, SqlScenario.Password);

        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(attempt));
    }

    /// <summary>A row whose hash is in another format than the store's never matches, even with the right password.</summary>
    [Fact]
    public async Task AHashInAnotherFormat_NeverMatches()
    {
        await using var sql = await SqlScenario.StartAsync(DatabaseKind.Sqlite, hashFormat: "DjangoPbkdf2");
        var login = LdapScenario.NewLogin("fmt");
        await sql.AddPersonAsync(login);

        var attempt = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), login, SqlScenario.Password);

        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(attempt));
    }

    [Fact]
    public async Task Groups_GiveRoles_AndTakeThemBack()
    {
        await using var sql = await SqlScenario.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:Stores:0:Sql:GroupRoles:0:Group"] = "IT-Admins", ["Idp:Stores:0:Sql:GroupRoles:0:Role"] = "admin" });
        var login = LdapScenario.NewLogin("root");
        var id = await sql.AddPersonAsync(login, groups: "staff, it-admins");

        var asMember = await RolesAsync(sql, login);
        await sql.People.SetAsync(id, "groups", "staff");
        var afterRemoval = await RolesAsync(sql, login);

        Assert.Equal(["admin"], asMember);
        Assert.Empty(afterRemoval);
    }

    /// <summary>
    /// The table cannot be read (PostgreSQL: nothing listens; SQLite: the file is missing): its people are told so,
    /// local people still sign in, /readyz names the store, and the SQLite file is not created (read-only).
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task WhenTheTableCannotBeRead_ItsPeopleAreToldSo_AndLocalPeopleStillSignIn(DatabaseKind kind)
    {
        var missing = Path.Combine(Path.GetTempPath(), $"idp-missing-{Guid.NewGuid():N}.db");
        var unreachable = kind == DatabaseKind.Postgres ? "Host=127.0.0.1;Port=1;Database=shop;Username=shop;Password=not-a-secret-in-any-log" : $"Data Source={missing}";
        await using var sql = await SqlScenario.StartAsync(kind, new Dictionary<string, string?> { ["Idp:Stores:0:Sql:ConnectionString"] = unreachable });
        await sql.Scenario.CreateUserAsync("localbob", TestUsers.Password);

        var tablePerson = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), "someone", "a password");
        var localPerson = await sql.Scenario.SignInAsync(sql.Host.CreateBrowser(), "localbob", TestUsers.Password);
        var ready = await LdapSignInTests.ReadinessAsync(sql.Host, "shop");

        Assert.Equal(PasswordCheck.DirectoryUnavailable, await HtmlForm.AlertAsync(tablePerson));
        Assert.Equal(HttpStatusCode.Redirect, localPerson.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "Degraded", "unavailable"), ready);
        Assert.False(File.Exists(missing));
        Assert.DoesNotContain(sql.Host.Logs.Lines, l => l.Contains("not-a-secret-in-any-log", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheValidationApi_ChecksTheTablesPassword_ThenTheCode()
    {
        await using var sql = await SqlScenario.StartAsync(DatabaseKind.Postgres, ValidationScenario.Settings());
        var login = LdapScenario.NewLogin("vic");
        await sql.AddPersonAsync(login);
        await sql.ResolveAsync(login);
        await SecondFactorScenario.GiveDeviceAsync(sql.Host, login);
        var vpn = sql.Host.CreateBrowser(out _, ValidationScenario.Vpn);

        var wrong = await ValidationScenario.CheckAsync(vpn, ("user", login), ("pass", "wrong" + SecondFactorScenario.CodeAt(sql.Host)));
        var right = await ValidationScenario.CheckAsync(vpn, ("user", $"{login}@shop"), ("pass", SqlScenario.Password + SecondFactorScenario.CodeAt(sql.Host)));

        Assert.Equal("REJECT", ValidationScenario.Authentication(wrong));
        Assert.Equal("ACCEPT", ValidationScenario.Authentication(right));
    }

    private static async Task<List<string>> RolesAsync(SqlScenario sql, string login)
    {
        var user = await sql.ResolveAsync(login);
        return await HardeningDb.QueryAsync(sql.Host.Services, db => (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user!.Id select r.Name!).ToListAsync());
    }
}
