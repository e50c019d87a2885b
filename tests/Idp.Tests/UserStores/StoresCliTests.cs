using Idp.Tests.Cli;

namespace Idp.Tests.UserStores;

/// <summary>The command line on directory people and stores: the same verbs as for local people, and a store check.</summary>
public sealed class StoresCliTests
{
    [Fact]
    public async Task StoresTest_SaysTheStoreAnswers_AndPrintsWhatALookupFound_WithoutSecrets()
    {
        var directory = await SharedLdap.GetAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database, extra: LdapScenario.Settings(directory.Url));
        var login = LdapScenario.NewLogin("gus");
        await directory.AddPersonAsync(login, "gus's password", displayName: "Gus Grissom");
        await directory.AddGroupAsync($"pilots-{login}", $"uid={login},{OpenLdapServer.People}");

        var list = await cli.RunAsync("stores", "list");
        var test = await cli.RunAsync("stores", "test", "corp", "--login", login);
        var unknown = await cli.RunAsync("stores", "test", "corp", "--login", login + "-nobody");
        var noSuchStore = await cli.RunAsync("stores", "test", "payroll");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("corp                 Ldap     " + directory.Url, list.Output, StringComparison.Ordinal);
        Assert.Contains("# realm corp (default): corp, local", list.Output, StringComparison.Ordinal);
        Assert.Equal(0, test.ExitCode);
        Assert.Contains("corp: reachable", test.Output, StringComparison.Ordinal);
        Assert.Contains($"login:  {login}", test.Output, StringComparison.Ordinal);
        Assert.Contains("name:   Gus Grissom", test.Output, StringComparison.Ordinal);
        Assert.Contains($"groups: pilots-{login}", test.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenLdapServer.ReaderPassword, list.Output + test.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal(1, noSuchStore.ExitCode);
        Assert.Contains("no directory store 'payroll'", noSuchStore.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoresTest_OnASqlStore_ReadsTheTable_AndPrintsWhatALookupFound_WithoutTheConnectionString()
    {
        await using var people = await SqlPeople.CreateAsync(DatabaseKind.Postgres);
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database, extra: SqlScenario.Settings(people));
        var login = LdapScenario.NewLogin("sue");
        await people.AddAsync(login, await SqlScenario.BcryptAsync("sue's password"), "Sue Storm", groups: "staff,it-admins");

        var list = await cli.RunAsync("stores", "list");
        var test = await cli.RunAsync("stores", "test", "shop", "--login", login.ToUpperInvariant());
        var devices = await cli.RunAsync("devices", "list", login);
        var users = await cli.RunAsync("users", "list");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("shop                 Sql      Postgres table user", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(people.ConnectionString, list.Output, StringComparison.Ordinal);
        Assert.Equal(0, test.ExitCode);
        Assert.Contains("shop: reachable; the table and its columns can be read", test.Output, StringComparison.Ordinal);
        Assert.Contains($"login:  {login}", test.Output, StringComparison.Ordinal);
        Assert.Contains("name:   Sue Storm", test.Output, StringComparison.Ordinal);
        Assert.Contains("groups: staff, it-admins", test.Output, StringComparison.Ordinal);
        Assert.Equal(0, devices.ExitCode);
        Assert.Matches($@"(?m)^{login} .* shop +shop$", users.Output);
    }

    [Fact]
    public async Task StoresTest_FailsWithTheReason_WhenTheServiceAccountIsRefused()
    {
        var directory = await SharedLdap.GetAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = LdapScenario.Settings(directory.Url);
        settings["Idp:Stores:0:Ldap:BindPassword"] = "not the reader's password";
        var cli = new CliRunner(database, extra: settings);

        var test = await cli.RunAsync("stores", "test", "corp");

        Assert.Equal(1, test.ExitCode);
        Assert.Contains("the service account's bind was refused", test.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not the reader's password", test.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceVerbs_AcceptADirectoryLogin_EvenBeforeTheFirstSignIn()
    {
        var directory = await SharedLdap.GetAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database, extra: LdapScenario.Settings(directory.Url));
        var login = LdapScenario.NewLogin("hal");
        await directory.AddPersonAsync(login, "hal's password");

        var before = await cli.RunAsync("devices", "list", login);
        var nobody = await cli.RunAsync("devices", "list", login + "-nobody");

        Assert.Equal(0, before.ExitCode);
        Assert.Contains($"'{login}' has no second-factor device.", before.Output, StringComparison.Ordinal);
        Assert.Equal(1, nobody.ExitCode);
    }

    [Fact]
    public async Task APasswordCannotBeSetForADirectoryPerson()
    {
        var directory = await SharedLdap.GetAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database, extra: LdapScenario.Settings(directory.Url));
        var login = LdapScenario.NewLogin("ida");
        await directory.AddPersonAsync(login, "ida's password");

        var set = await cli.RunWithInputAsync("a local password for ida\n", "users", "set-password", login, "--password-stdin");

        Assert.Equal(1, set.ExitCode);
        Assert.Contains("comes from the user store corp: change the password in the directory", set.Error, StringComparison.Ordinal);
    }
}
