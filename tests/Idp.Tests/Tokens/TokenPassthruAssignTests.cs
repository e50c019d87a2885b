using Idp.Audit;
using Idp.Persistence.Entities;
using Idp.Tests.Cli;
using Idp.Tests.Hardening;
using Idp.Tests.SecondFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Idp.Tests.Validation.ValidationScenario;

namespace Idp.Tests.Tokens;

/// <summary>
/// PassthruAssign (privacyIDEA's passthru_assign): a user with no second factor who sends their password and a code
/// from an unassigned pool token gets that token, on the guarded path; only the first candidates of the pool count,
/// a miss counts as a wrong code, and the same code never passes twice.
/// </summary>
public sealed class TokenPassthruAssignTests
{
    private const string Password = TestUsers.Password;
    private static readonly byte[] SeedA = "AAAAAAAAAAAAAAAAAAAA"u8.ToArray();
    private static readonly byte[] SeedB = "BBBBBBBBBBBBBBBBBBBB"u8.ToArray();
    private static readonly byte[] SeedC = "CCCCCCCCCCCCCCCCCCCC"u8.ToArray();

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task APoolTokensCode_AfterThePassword_AssignsIt_OnceOnly_AndOnlyAmongTheCandidates(DatabaseKind kind)
    {
        await using var validation = await StartAsync(kind, new Dictionary<string, string?>
        {
            ["Idp:Validation:Clients:0:PassthruAssign"] = "true",
            ["Idp:Validation:PassthruAssignCandidates"] = "2",
        });
        await validation.Scenario.CreateUserAsync("dave", Password);
        var erin = await validation.Scenario.CreateUserAsync("erin", Password);
        var cli = new CliRunner(validation.Scenario.Database);
        var csv = await TokenTestFiles.WriteAsync($"""
            POOL-A, {Convert.ToHexStringLower(SeedA)}, hotp, 6, 0
            POOL-B, {Convert.ToHexStringLower(SeedB)}, hotp, 6, 0
            POOL-C, {Convert.ToHexStringLower(SeedC)}, hotp, 6, 0
            """);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", csv)).ExitCode);
        var vpn = validation.From(Vpn);

        var notACandidate = await CheckAsync(vpn, ("user", "erin"), ("pass", Password + await OathTool.HotpAsync(SeedC, 0, 6)));
        var withoutThePassword = await CheckAsync(vpn, ("user", "dave"), ("pass", "not the password" + await OathTool.HotpAsync(SeedB, 0, 6)));
        var elsewhere = await CheckAsync(validation.From(Portal), ("user", "dave"), ("pass", Password));
        var assigned = await CheckAsync(vpn, ("user", "dave"), ("pass", Password + await OathTool.HotpAsync(SeedB, 0, 6)));
        var replayedByAnother = await CheckAsync(vpn, ("user", "erin"), ("pass", Password + await OathTool.HotpAsync(SeedB, 0, 6)));
        var replayed = await CheckAsync(vpn, ("user", "dave"), ("pass", Password + await OathTool.HotpAsync(SeedB, 0, 6)));
        var next = await CheckAsync(vpn, ("user", "dave"), ("pass", Password + await OathTool.HotpAsync(SeedB, 1, 6)));
        var listed = await cli.RunAsync("tokens", "list");

        Assert.Equal("REJECT", Authentication(notACandidate));
        Assert.Equal("REJECT", Authentication(withoutThePassword));
        Assert.Equal("REJECT", Authentication(elsewhere));
        Assert.Equal("ACCEPT", Authentication(assigned));
        Assert.Equal("REJECT", Authentication(replayedByAnother));
        Assert.Equal("REJECT", Authentication(replayed));
        Assert.Equal("ACCEPT", Authentication(next));
        Assert.Matches(@"POOL-A\s+HOTP\s+SHA1\s+6\s+unassigned", listed.Output);
        Assert.Matches(@"POOL-B\s+HOTP\s+SHA1\s+6\s+assigned\s+dave", listed.Output);
        Assert.Matches(@"POOL-C\s+HOTP\s+SHA1\s+6\s+unassigned", listed.Output);
        var assignedEvent = Assert.Single(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.TokenAssigned));
        Assert.Equal("validate:vpn", assignedEvent.Actor);
        Assert.Contains("PassthruAssign", assignedEvent.Details, StringComparison.Ordinal);
        // Erin's misses (not a candidate; a code already used) count against her like any wrong code.
        Assert.Equal(2, (await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.OtpFailed)).Count(e => e.SubjectUserId == erin.Id));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ADeviceSavedWhileThePasswordIsBeingHashed_TakesAwayThePoolToken(DatabaseKind kind)
    {
        // "No second factor at all" is read before the hash (it sets the code's length); a device the person saves
        // meanwhile must count, or whoever holds their password and a pool token gets that token as a second device.
        var hasher = new HookedPasswordHasher();
        await using var scenario = await Scenario.StartAsync(kind, Settings(new Dictionary<string, string?> { ["Idp:Validation:Clients:0:PassthruAssign"] = "true" }), services: s => s.AddSingleton<IPasswordHasher<IdpUser>>(hasher));
        await scenario.CreateUserAsync("dave", Password);
        var cli = new CliRunner(scenario.Database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", await TokenTestFiles.WriteAsync($"POOL-A, {Convert.ToHexStringLower(SeedA)}, hotp, 6, 0\n"))).ExitCode);
        hasher.DuringNextVerification(() => SecondFactorScenario.GiveDeviceAsync(scenario.Host, "dave"));

        var answer = await CheckAsync(scenario.Host.CreateBrowser(out _, Vpn), ("user", "dave"), ("pass", Password + await OathTool.HotpAsync(SeedA, 0, 6)));

        Assert.Equal("REJECT", Authentication(answer));
        Assert.Matches(@"POOL-A\s+HOTP\s+SHA1\s+6\s+unassigned", (await cli.RunAsync("tokens", "list")).Output);
    }

    /// <summary>
    /// The last gap after the re-check above: a device enrolled between "no second factor at all" and the attach. The
    /// attach itself refuses a user whose document holds a device, on the version it would write.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AssignOnFirstUse_RefusesAUserWhoHoldsADeviceByTheAttach_WhileAnAdministratorMayAddOne(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var dave = await scenario.CreateUserAsync("dave", Password);
        var cli = new CliRunner(scenario.Database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", await TokenTestFiles.WriteAsync($"POOL-A, {Convert.ToHexStringLower(SeedA)}, hotp, 6, 0\n"))).ExitCode);
        await SecondFactorScenario.GiveDeviceAsync(scenario.Host, "dave");

        async Task<Idp.Admin.AdminOutcome> AssignAsync(bool onlyIfNoDevice)
        {
            await using var scope = scenario.Host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Idp.Tokens.TokenPool>().AssignAsync("POOL-A", dave, null, Idp.Admin.AdminActor.Cli, CancellationToken.None, onlyIfNoDevice);
        }

        var onFirstUse = await AssignAsync(onlyIfNoDevice: true);
        var listedAfter = (await cli.RunAsync("tokens", "list")).Output;
        var byAnAdministrator = await AssignAsync(onlyIfNoDevice: false);

        Assert.False(onFirstUse.Succeeded);
        Assert.Contains("a device of their own", onFirstUse.Message, StringComparison.Ordinal);
        Assert.Matches(@"POOL-A\s+HOTP\s+SHA1\s+6\s+unassigned", listedAfter);
        Assert.True(byAnAdministrator.Succeeded, byAnAdministrator.Message);
    }

    [Fact]
    public async Task WithoutPassthruAssign_APoolTokensCode_IsRefused()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite);
        await validation.Scenario.CreateUserAsync("dave", Password);
        var cli = new CliRunner(validation.Scenario.Database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", await TokenTestFiles.WriteAsync($"POOL-A, {Convert.ToHexStringLower(SeedA)}, hotp, 6, 0\n"))).ExitCode);

        var refused = await CheckAsync(validation.From(Vpn), ("user", "dave"), ("pass", Password + await OathTool.HotpAsync(SeedA, 0, 6)));

        Assert.Equal("REJECT", Authentication(refused));
        Assert.Matches(@"POOL-A\s+HOTP\s+SHA1\s+6\s+unassigned", (await cli.RunAsync("tokens", "list")).Output);
    }
}
