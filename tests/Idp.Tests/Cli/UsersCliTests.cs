using System.Text.Json;

namespace Idp.Tests.Cli;

public sealed class UsersCliTests
{
    private const string Password = TestUsers.Password;

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Users_AddListSetPasswordLockUnlockDelete_EachWorks(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateEmptyAsync(kind);
        var cli = new CliRunner(database);

        var add = await cli.RunWithInputAsync(Password + "\n", "users", "add", "alice", "--email", "alice@example.com", "--role", "admin", "--password-stdin");
        var list = await cli.RunAsync("users", "list", "--json");
        var setPassword = await cli.RunWithInputAsync("new long password here\n", "users", "set-password", "alice", "--password-stdin");
        var locked = await cli.RunAsync("users", "lock", "alice");
        var listLocked = await cli.RunAsync("users", "list");
        var unlocked = await cli.RunAsync("users", "unlock", "alice");
        var listUnlocked = await cli.RunAsync("users", "list", "--json");

        Assert.Equal((0, "Created user 'alice' with role admin."), (add.ExitCode, add.Output.Trim()));
        var user = JsonDocument.Parse(list.Output).RootElement.EnumerateArray().Single();
        Assert.Equal("alice", user.GetProperty("userName").GetString());
        Assert.Equal("alice@example.com", user.GetProperty("email").GetString());
        Assert.Equal("admin", user.GetProperty("roles")[0].GetString());
        Assert.Equal(0, setPassword.ExitCode);
        Assert.Equal(0, locked.ExitCode);
        Assert.Matches(@"alice\s+alice@example.com\s+admin\s+yes", listLocked.Output);
        Assert.Equal(0, unlocked.ExitCode);
        Assert.False(JsonDocument.Parse(listUnlocked.Output).RootElement[0].GetProperty("locked").GetBoolean());

        var delete = await cli.RunAsync("users", "delete", "alice");
        var listAfter = await cli.RunAsync("users", "list", "--json");
        Assert.Equal(0, delete.ExitCode);
        Assert.Equal("[]", listAfter.Output.Trim());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Users_SetPassword_NewPasswordSignsIn(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var cli = new CliRunner(scenario.Database);
        await cli.RunWithInputAsync(Password + "\n", "users", "add", "bob", "--password-stdin");

        await cli.RunWithInputAsync("a brand new password\n", "users", "set-password", "bob", "--password-stdin");

        var old = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "bob", Password);
        var fresh = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "bob", "a brand new password");
        Assert.Equal(System.Net.HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, fresh.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Users_Lock_EndsSessionsAndRefusesSignIn(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var cli = new CliRunner(scenario.Database);
        await cli.RunWithInputAsync(Password + "\n", "users", "add", "carol", "--password-stdin");
        var browser = scenario.Host.CreateBrowser();
        await scenario.SignInAsync(browser, "carol", Password);

        var locked = await cli.RunAsync("users", "lock", "carol");

        Assert.Contains("ended 1 session", locked.Output, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await browser.GetAsync("/account")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await scenario.SignInAsync(scenario.Host.CreateBrowser(), "carol", Password)).StatusCode);
    }

    [Theory]
    [InlineData("", new[] { "users", "add", "dave", "--password-stdin" }, "no password on standard input")]
    [InlineData("short\n", new[] { "users", "add", "dave", "--password-stdin" }, "at least 12 characters")]
    [InlineData(Password + "\n", new[] { "users", "add", "dave" }, "needs --password-stdin")]
    [InlineData(Password + "\n", new[] { "users", "add", "dave", "--role", "root", "--password-stdin" }, "Unknown role 'root'")]
    [InlineData(Password + "\n", new[] { "users", "add", "dave", "--email", "not-an-address", "--password-stdin" }, "'not-an-address' is not an e-mail address")]
    [InlineData(Password + "\n", new[] { "users", "add", "bad name!", "--password-stdin" }, "may contain only")]
    [InlineData("", new[] { "users", "set-password", "nobody", "--password-stdin" }, "no user 'nobody'")]
    [InlineData("", new[] { "users", "lock", "nobody" }, "no user 'nobody'")]
    [InlineData("", new[] { "users", "unlock", "nobody" }, "no user 'nobody'")]
    [InlineData("", new[] { "users", "delete", "nobody" }, "no user 'nobody'")]
    public async Task Users_BadInput_OneClearLineNonZeroExitNothingChanged(string stdin, string[] args, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database);

        var result = await cli.RunWithInputAsync(stdin, args);
        var list = await cli.RunAsync("users", "list", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal("[]", list.Output.Trim());
    }

    [Fact]
    public async Task Users_AddDuplicate_RefusedAndFirstKept()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var cli = new CliRunner(database);
        await cli.RunWithInputAsync(Password + "\n", "users", "add", "erin", "--email", "erin@example.com", "--password-stdin");

        var duplicate = await cli.RunWithInputAsync("another long password\n", "users", "add", "erin", "--password-stdin");
        var list = JsonDocument.Parse((await cli.RunAsync("users", "list", "--json")).Output).RootElement;

        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("user 'erin' already exists", duplicate.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("erin@example.com", list.EnumerateArray().Single().GetProperty("email").GetString());
    }

    [Theory]
    [InlineData("users add")]
    [InlineData("users frobnicate")]
    [InlineData("users lock")]
    [InlineData("devices import alice")]
    public async Task Cli_MissingArgumentOrUnknownVerb_UsageErrorExitTwo(string commandLine)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var result = await new CliRunner(database).RunAsync(commandLine.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Migrate_ReportsAppliedThenUpToDate(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateEmptyAsync(kind);
        var cli = new CliRunner(database);

        var first = await cli.RunAsync("migrate");
        var second = await cli.RunAsync("migrate");

        Assert.Equal(0, first.ExitCode);
        Assert.Matches(@"Applied \d+ migration\(s\) to .*0001_initial, 0002_oidc", first.Output);
        Assert.Contains("is up to date", second.Output, StringComparison.Ordinal);
    }

    /// <summary><c>migrate --dry-run</c> lists what would be applied and applies nothing (the real run still has it all to do).</summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task MigrateDryRun_ListsThePendingMigrations_AndAppliesNothing(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateEmptyAsync(kind);
        var cli = new CliRunner(database);
        var sqliteFile = kind == DatabaseKind.Sqlite ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource : null;

        var before = await cli.RunAsync("migrate", "--dry-run");
        var fileAfterDryRun = sqliteFile is not null && File.Exists(sqliteFile);
        var real = await cli.RunAsync("migrate");
        var after = await cli.RunAsync("migrate", "--dry-run");

        Assert.Equal(0, before.ExitCode);
        Assert.Matches(@"\d+ migration\(s\) would be applied to .*0001_initial, 0002_oidc", before.Output);
        Assert.False(fileAfterDryRun);
        Assert.Matches(@"Applied \d+ migration\(s\)", real.Output);
        Assert.Contains("is up to date", after.Output, StringComparison.Ordinal);
    }
}
