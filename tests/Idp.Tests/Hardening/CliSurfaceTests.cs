using System.Net;
using Idp.Admin;
using Idp.Audit;
using Idp.Tests.Cli;
using Idp.Tests.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Tests.Hardening;

/// <summary>
/// The command line has the effects and the audit events of the web and the API: it goes through the same
/// services. A lock ends sessions and revokes grants; a new password ends sessions and refresh tokens.
/// </summary>
public sealed class CliSurfaceTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task CliLock_AuditedAsTheWebLockIs_GrantsRevoked(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var tokens = await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser());
        var cli = new CliRunner(oidc.Inner.Database);

        var locked = await cli.RunAsync("users", "lock", "alice", "--reason", "laptop stolen");
        var unlocked = await cli.RunAsync("users", "unlock", "alice");
        var refresh = await oidc.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal(0, locked.ExitCode);
        Assert.Equal(0, unlocked.ExitCode);
        var lockRow = Assert.Single(await HardeningDb.AuditAsync(oidc.Host.Services, AuditEventTypes.AccountLocked));
        Assert.Equal("cli", lockRow.Actor);
        Assert.Contains("laptop stolen", lockRow.Details, StringComparison.Ordinal);
        Assert.Single(await HardeningDb.AuditAsync(oidc.Host.Services, AuditEventTypes.AccountUnlocked));
        Assert.NotEmpty(await HardeningDb.AuditAsync(oidc.Host.Services, AuditEventTypes.SessionsEnded));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task CliSetPassword_Audited_SessionsEndedAndRefreshTokensRevoked(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var browser = oidc.Host.CreateBrowser();
        var tokens = await oidc.SignInAndRedeemAsync(browser);
        var cli = new CliRunner(oidc.Inner.Database);

        var set = await cli.RunWithInputAsync("a brand new long password\n", "users", "set-password", "alice", "--password-stdin");
        var refresh = await oidc.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        var account = await browser.GetAsync("/account");

        Assert.Equal(0, set.ExitCode);
        var row = Assert.Single(await HardeningDb.AuditAsync(oidc.Host.Services, AuditEventTypes.PasswordSet));
        Assert.Equal("cli", row.Actor);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.Contains("/account/login", account.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task CliAddAndDelete_Audited(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var cli = new CliRunner(database);

        var add = await cli.RunWithInputAsync("a long enough password\n", "users", "add", "zoe", "--password-stdin");
        var delete = await cli.RunAsync("users", "delete", "zoe");

        Assert.Equal(0, add.ExitCode);
        Assert.Equal(0, delete.ExitCode);
        await using var host = await IdpTestHost.StartAsync(database);
        Assert.Single(await HardeningDb.AuditAsync(host.Services, AuditEventTypes.AccountCreated));
        Assert.Single(await HardeningDb.AuditAsync(host.Services, AuditEventTypes.AccountDeleted));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task LookUp_TwoAccountsShareAnAddress_ClearProblemNotAnException(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("ann", "a long enough password", "shared@example.com");
        await scenario.CreateUserAsync("ann2", "a long enough password", "shared@example.com");
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();

        var found = await admin.FindAsync("shared@example.com");
        var (_, problem) = await admin.LookUpAsync("shared@example.com");
        var byName = await admin.FindAsync("ann2");

        Assert.Null(found);
        Assert.Contains("More than one account", problem, StringComparison.Ordinal);
        Assert.Equal("ann2", byName?.UserName);
    }

    [Fact]
    public async Task Version_PrintsAndExits()
    {
        var output = new StringWriter();

        var code = await Idp.Cli.IdpCli.RunAsync(["--version"], new StringReader(string.Empty), output, new StringWriter());

        Assert.True(Idp.Cli.IdpCli.IsCommand(["--version"]), "--version would start the server");
        Assert.Equal(0, code);
        Assert.NotEmpty(output.ToString().Trim());
    }

    [Fact]
    public async Task UnknownVerb_Exit2_ListsTheVerbs_WithoutStartingAServer()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var isCommand = Idp.Cli.IdpCli.IsCommand(["tokns", "list"]);
        var code = await Idp.Cli.IdpCli.RunAsync(["tokns", "list"], new StringReader(string.Empty), output, error);

        Assert.True(isCommand, "an unknown verb would start the server");
        Assert.False(Idp.Cli.IdpCli.IsCommand(["--urls", "http://127.0.0.1:5001"]));
        Assert.False(Idp.Cli.IdpCli.IsCommand([]));
        Assert.Equal(2, code);
        Assert.Equal("error: unknown verb 'tokns'; the verbs are: users, devices, audit, migrate, secrets, keys, validation-clients, radius, stores, tokens, backup, restore (see --help)", error.ToString().Trim());
    }
}
