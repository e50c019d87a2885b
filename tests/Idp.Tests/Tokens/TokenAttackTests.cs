using System.Net;
using Idp.Admin;
using Idp.Tests.Admin;
using Idp.Tests.Cli;
using Idp.Tests.SecondFactor;
using Idp.Tokens;
using static Idp.Tests.Validation.ValidationScenario;

namespace Idp.Tests.Tokens;

/// <summary>The attacks a review of the pool tried: each failed before its fix.</summary>
public sealed class TokenAttackTests
{
    private const string Password = TestUsers.Password;
    private const string SeedHex = "3132333435363738393031323334353637383930";

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AHolder_CanNeitherSeeNorReplaceAHardwareTokensKey(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:DisplayExistingSecret", "true"), ("Otp:UserCanChangeKey", "true")));
        await scenario.CreateUserAsync("alice", Password);
        await SecondFactorScenario.GiveDeviceAsync(scenario.Host, "alice");
        var cli = new CliRunner(scenario.Database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", await TokenTestFiles.WriteAsync($"HW-T, {SeedHex}, totp, 6, 30, alice\n"))).ExitCode);
        var token = (await SecondFactorScenario.DevicesOfAsync(scenario.Host, "alice")).Single(d => d.Serial == "HW-T");
        var browser = scenario.Host.CreateBrowser();
        await scenario.SignInAsync(browser, "alice", Password);
        Assert.Equal("/account", (await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(scenario.Host))).Headers.Location!.OriginalString);
        scenario.Host.Time.Advance(TimeSpan.FromSeconds(30));

        var show = await HtmlForm.SubmitAsync(browser, "/2fregisters/otp", new Dictionary<string, string> { ["DeviceId"] = token.Id, ["Code"] = SecondFactorScenario.CodeAt(scenario.Host) }, "form[action='/2fregisters/otp/showkey']");
        var change = await HtmlForm.SubmitAsync(browser, "/2fregisters/otp", new Dictionary<string, string> { ["DeviceId"] = token.Id, ["Code"] = SecondFactorScenario.CodeAt(scenario.Host) }, "form[action='/2fregisters/otp/changekey']");

        Assert.Contains("A hardware token's key is never shown.", await HtmlForm.AlertAsync(show), StringComparison.Ordinal);
        Assert.DoesNotContain("GEZD", await show.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("cannot be changed", await HtmlForm.AlertAsync(change), StringComparison.Ordinal);
        Assert.Equal(token, (await SecondFactorScenario.DevicesOfAsync(scenario.Host, "alice")).Single(d => d.Serial == "HW-T"));
    }

    [Fact]
    public async Task ASignedInUserWhoIsNotAnAdministrator_CannotMakeTheNodeReadAnUpload()
    {
        await using var oidc = await AdminScenario.StartAsync(DatabaseKind.Sqlite);
        var alice = await AdminScenario.SignInWithCodeAsync(oidc, "alice");
        var account = await HtmlForm.ParseAsync(await alice.GetAsync("/2fregisters"));
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in HtmlForm.Fields(account))
        {
            content.Add(new StringContent(value), name);
        }

        content.Add(new ByteArrayContent(new byte[1024 * 1024]), "File", "big.csv");

        var refused = await alice.PostAsync("/admin/tokens?handler=import", content);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task DisablingATokenReportedLost_EndsTheSessionsOfWhoeverSignedInWithIt(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password);
        var cli = new CliRunner(scenario.Database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "alice")).ExitCode);
        var thief = scenario.Host.CreateBrowser();
        await scenario.SignInAsync(thief, "alice", Password);
        Assert.Equal("/account", (await SecondFactorScenario.SubmitCodeAsync(thief, TokenTestFiles.RfcCodes8[0])).Headers.Location!.OriginalString);

        var disabled = await cli.RunAsync("tokens", "disable", TokenTestFiles.RfcSerial, "--reason", "lost");

        Assert.Contains("Ended 1 session(s)", disabled.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await thief.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task PassthruAssign_NeverHandsOutATokenThatWasUsedAndWentBackToThePool()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:Validation:Clients:0:PassthruAssign"] = "true" });
        await validation.Scenario.CreateUserAsync("carol", Password);
        await validation.Scenario.CreateUserAsync("dave", Password);
        var cli = new CliRunner(validation.Scenario.Database);
        var seed = Convert.FromHexString(SeedHex);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", await TokenTestFiles.WriteAsync($"USED-1, {SeedHex}, hotp, 6, 0, carol\n"))).ExitCode);
        Assert.Equal("ACCEPT", Authentication(await CheckAsync(validation.From(Vpn), ("user", "carol"), ("pass", Password + await OathTool.HotpAsync(seed, 0, 6)))));
        Assert.Equal(0, (await cli.RunAsync("tokens", "unassign", "USED-1", "--reason", "carol left; the token was not returned")).ExitCode);

        var claimed = await CheckAsync(validation.From(Vpn), ("user", "dave"), ("pass", Password + await OathTool.HotpAsync(seed, 1, 6)));

        Assert.Equal("REJECT", Authentication(claimed));
        Assert.Matches(@"USED-1\s+HOTP\s+SHA1\s+6\s+unassigned", (await cli.RunAsync("tokens", "list")).Output);
    }

    /// <summary>An assignment copies the row into the holder's document: a disable (or resync) committed meanwhile must make it fail, not be lost.</summary>
    [Fact]
    public async Task AssignRacingDisable_NeverLeavesAnEnabledDeviceBehindADisabledRow()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Postgres);
        var alice = await scenario.CreateUserAsync("alice", Password);
        Assert.Equal(0, (await new CliRunner(scenario.Database).RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3))).ExitCode);

        async Task<AdminOutcome> PoolAsync(Func<TokenPool, Task<AdminOutcome>> action)
        {
            await using var scope = scenario.Host.Services.CreateAsyncScope();
            return await action(scope.ServiceProvider.GetRequiredService<TokenPool>());
        }

        for (var round = 0; round < 20; round++)
        {
            await Task.WhenAll(
                PoolAsync(p => p.AssignAsync(TokenTestFiles.RfcSerial, alice, null, AdminActor.Cli, CancellationToken.None)),
                PoolAsync(p => p.SetDisabledAsync(TokenTestFiles.RfcSerial, true, null, AdminActor.Cli, CancellationToken.None)));

            await using var scope = scenario.Host.Services.CreateAsyncScope();
            var row = (await scope.ServiceProvider.GetRequiredService<TokenCatalog>().FindAsync(TokenTestFiles.RfcSerial, CancellationToken.None))!;
            var device = (await SecondFactorScenario.DevicesOfAsync(scenario.Host, "alice")).SingleOrDefault();
            Assert.Equal(row.Assigned, device is not null);
            Assert.True(device is null || device.Disabled == row.Disabled, $"round {round}: the row says disabled={row.Disabled}, the device {device?.Disabled}");
            await PoolAsync(p => p.UnassignAsync(TokenTestFiles.RfcSerial, null, AdminActor.Cli, CancellationToken.None));
            await PoolAsync(p => p.SetDisabledAsync(TokenTestFiles.RfcSerial, false, null, AdminActor.Cli, CancellationToken.None));
        }
    }
}
