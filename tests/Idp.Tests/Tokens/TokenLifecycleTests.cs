using System.Text.Json;
using Idp.Admin;
using Idp.Tests.Cli;
using Idp.Tests.SecondFactor;
using Idp.Tokens;

namespace Idp.Tests.Tokens;

/// <summary>Unassign, delete, export and the account's end: the pool and the holder's devices stay in step, and a used code stays used.</summary>
public sealed class TokenLifecycleTests
{
    private const string Password = TestUsers.Password;

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Export_WithAKey_ImportsBackToTheSameTokens_TheirCountersKept_AndWithoutAKeyHoldsNoSecret(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password);
        var cli = new CliRunner(scenario.Database);
        var csv = await TokenTestFiles.WriteAsync("HW-T, 3132333435363738393031323334353637383930, totp, 8, 60\n");
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", csv)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "alice")).ExitCode);
        Assert.True(await TokenSignInTests.SignsInAsync(scenario, TokenTestFiles.RfcCodes8[0]));
        var key = await TokenTestFiles.KeyFileAsync("00112233445566778899aabbccddeeff");
        var exported = Path.Combine(Path.GetTempPath(), $"idp-export-{Guid.NewGuid():N}.xml");

        var withSecrets = await cli.RunAsync("tokens", "export", "--format", "pskc", "--psk-file", key, "--out", exported);
        var again = await cli.RunAsync("tokens", "export", "--psk-file", key, "--out", exported);
        var withoutSecrets = await cli.RunAsync("tokens", "export", "--serial", "HW-T");

        Assert.Equal(0, withSecrets.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists; nothing was written", again.Error, StringComparison.Ordinal);
        var file = await File.ReadAllTextAsync(exported);
        Assert.Contains("CipherValue", file, StringComparison.Ordinal);
        Assert.Contains("<pskc:ValueMAC>", file.Replace("<ValueMAC>", "<pskc:ValueMAC>", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("MTIzNDU2Nzg5MDEyMzQ1Njc4OTA", file, StringComparison.Ordinal);
        Assert.Equal(0, withoutSecrets.ExitCode);
        Assert.DoesNotContain("Secret", withoutSecrets.Output, StringComparison.Ordinal);
        Assert.Contains("HW-T", withoutSecrets.Output, StringComparison.Ordinal);

        // Into another installation: the same tokens, the HOTP one past the code alice used.
        await using var other = await Scenario.StartAsync(kind);
        await other.CreateUserAsync("alice", Password);
        var otherCli = new CliRunner(other.Database);
        var reimport = await otherCli.RunAsync("tokens", "import", "--file", exported, "--psk-file", key);
        var listed = JsonDocument.Parse((await otherCli.RunAsync("tokens", "list", "--json")).Output).RootElement.GetProperty("tokens");
        Assert.Equal((0, "Imported 2 token(s), assigned 0, skipped 0 already in the pool."), (reimport.ExitCode, reimport.Output.Trim()));
        Assert.Equal([TokenTestFiles.RfcSerial, "HW-T"], listed.EnumerateArray().Select(t => t.GetProperty("serial").GetString()));
        Assert.Equal([8, 8], listed.EnumerateArray().Select(t => t.GetProperty("digits").GetInt32()));
        Assert.Equal(60, listed[1].GetProperty("period").GetInt32());
        Assert.Equal(0, (await otherCli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "alice")).ExitCode);
        Assert.False(await TokenSignInTests.SignsInAsync(other, TokenTestFiles.RfcCodes8[0]));
        Assert.True(await TokenSignInTests.SignsInAsync(other, TokenTestFiles.RfcCodes8[1]));
        Assert.Contains((await TokenSignInTests.AdminEventsAsync(scenario)), e => e.Type == "token.exported" && e.Details!.Contains("with secrets encrypted", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Unassign_KeepsTheCounter_DeleteNeedsAReason_AndTheDeviceGoesWithIt(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var cli = await AliceHasUsedTheRfcTokenAsync(scenario);

        var removeAsDevice = await cli.RunAsync("devices", "remove", "alice", $"Token {TokenTestFiles.RfcSerial}", "--reason", "lost");
        var unassign = await cli.RunAsync("tokens", "unassign", TokenTestFiles.RfcSerial);
        var aliceDevices = await SecondFactorScenario.DevicesOfAsync(scenario.Host, "alice");
        var assignBob = await cli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "bob");

        Assert.Equal(1, removeAsDevice.ExitCode);
        Assert.Contains("is a hardware token of the pool", removeAsDevice.Error, StringComparison.Ordinal);
        Assert.Equal(0, unassign.ExitCode);
        Assert.StartsWith($"The token {TokenTestFiles.RfcSerial} is back in the pool. Ended 1 session(s)", unassign.Output, StringComparison.Ordinal);
        Assert.Empty(aliceDevices);
        Assert.Equal(0, assignBob.ExitCode);
        // The code alice used stays used for bob: the counter came back to the pool with the token.
        Assert.False(await TokenSignInTests.SignsInAsync(scenario, TokenTestFiles.RfcCodes8[0], "bob"));
        Assert.True(await TokenSignInTests.SignsInAsync(scenario, TokenTestFiles.RfcCodes8[1], "bob"));

        var withoutReason = await cli.RunAsync("tokens", "delete", TokenTestFiles.RfcSerial);
        var deleted = await cli.RunAsync("tokens", "delete", TokenTestFiles.RfcSerial, "--reason", "broken");
        var unknown = await cli.RunAsync("tokens", "delete", "NO-SUCH", "--reason", "x");

        Assert.Equal(2, withoutReason.ExitCode);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No token 'NO-SUCH' in the pool.", unknown.Error, StringComparison.Ordinal);
        Assert.Empty(await SecondFactorScenario.DevicesOfAsync(scenario.Host, "bob"));
        Assert.Equal(0, await TokenImportTests.CountAsync(cli));
        Assert.Contains(await TokenSignInTests.AdminEventsAsync(scenario), e => e.Type == "token.deleted" && e.Details!.Contains("reason: broken", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task DeletingTheHoldersAccount_PutsTheTokenBackInThePool_WithItsCounter(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var cli = await AliceHasUsedTheRfcTokenAsync(scenario);

        Assert.Equal(0, (await cli.RunAsync("users", "delete", "alice")).ExitCode);
        var pool = await cli.RunAsync("tokens", "list", "--unassigned", "--json");

        Assert.Equal(1, JsonDocument.Parse(pool.Output).RootElement.GetProperty("total").GetInt32());
        Assert.Equal(0, (await cli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "bob")).ExitCode);
        Assert.False(await TokenSignInTests.SignsInAsync(scenario, TokenTestFiles.RfcCodes8[0], "bob"));
        Assert.True(await TokenSignInTests.SignsInAsync(scenario, TokenTestFiles.RfcCodes8[1], "bob"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task TwoAdministratorsAssigningOneTokenAtOnce_OnlyOneGetsIt(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var alice = await scenario.CreateUserAsync("alice", Password);
        var bob = await scenario.CreateUserAsync("bob", Password);
        Assert.Equal(0, (await new CliRunner(scenario.Database).RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3))).ExitCode);

        async Task<AdminOutcome> AssignAsync(Idp.Persistence.Entities.IdpUser user)
        {
            await using var scope = scenario.Host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<TokenPool>().AssignAsync(TokenTestFiles.RfcSerial, user, null, AdminActor.Cli, CancellationToken.None);
        }

        for (var round = 0; round < 5; round++)
        {
            var outcomes = await Task.WhenAll(AssignAsync(alice), AssignAsync(bob));
            var holders = (await SecondFactorScenario.DevicesOfAsync(scenario.Host, "alice")).Count + (await SecondFactorScenario.DevicesOfAsync(scenario.Host, "bob")).Count;

            Assert.Single(outcomes, o => o.Succeeded);
            Assert.Equal(1, holders);
            await using var scope = scenario.Host.Services.CreateAsyncScope();
            Assert.True((await scope.ServiceProvider.GetRequiredService<TokenPool>().UnassignAsync(TokenTestFiles.RfcSerial, null, AdminActor.Cli, CancellationToken.None)).Succeeded);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Enroll_UsersOfTheList_AreLedToEnrollmentAtTheirNextSignIn_AndAnUnknownNameChangesNobody(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password);
        await scenario.CreateUserAsync("bob", Password);
        var cli = new CliRunner(scenario.Database);
        var before = await TokenSignInTests.SignInAsync(scenario, "bob");

        var unknown = await cli.RunAsync("tokens", "enroll", "--users-file", await TokenTestFiles.WriteAsync("bob\nnobody\n"), "--type", "totp");
        var stillFree = await TokenSignInTests.SignInAsync(scenario, "bob");
        var hotp = await cli.RunAsync("tokens", "enroll", "--users-file", await TokenTestFiles.WriteAsync("bob\n"), "--type", "hotp");
        var enroll = await cli.RunAsync("tokens", "enroll", "--users-file", await TokenTestFiles.WriteAsync("# the new team\nbob\n\nalice\n"), "--type", "totp", "--reason", "roll-out");
        var after = await TokenSignInTests.SignInAsync(scenario, "bob");

        Assert.Equal("/account", before.Headers.Location?.OriginalString);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("line 2: No user 'nobody'. Nobody was changed.", unknown.Error, StringComparison.Ordinal);
        Assert.Equal("/account", stillFree.Headers.Location?.OriginalString);
        Assert.Equal(1, hotp.ExitCode);
        Assert.Equal((0, "2 user(s) must now have a second factor; 2 of them will register an authenticator at their next sign-in."), (enroll.ExitCode, enroll.Output.Trim()));
        Assert.Equal("/account/2fa/enroll", after.Headers.Location?.OriginalString);
        Assert.DoesNotMatch("[A-Z2-7]{16,}", enroll.Output);
    }

    /// <summary>Alice and bob; RFC 6030 Figure 3's token imported, assigned to alice, and its counter-0 code used by her.</summary>
    private static async Task<CliRunner> AliceHasUsedTheRfcTokenAsync(Scenario scenario)
    {
        await scenario.CreateUserAsync("alice", Password);
        await scenario.CreateUserAsync("bob", Password);
        var cli = new CliRunner(scenario.Database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "alice")).ExitCode);
        Assert.True(await TokenSignInTests.SignsInAsync(scenario, TokenTestFiles.RfcCodes8[0]));
        return cli;
    }
}
