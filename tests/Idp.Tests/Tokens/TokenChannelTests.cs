using Idp.Audit;
using Idp.Tests.Cli;
using Idp.Tests.Hardening;
using Idp.Tests.SecondFactor;
using Idp.Tests.Validation;
using static Idp.Tests.Validation.ValidationScenario;

namespace Idp.Tests.Tokens;

/// <summary>
/// A token's own parameters (8 digits here) and its disabled state hold on every channel: the browser, the
/// validation API and RADIUS. A disabled token is never "no device": it neither lets the password alone through
/// (Passthru) nor makes way for another device.
/// </summary>
public sealed class TokenChannelTests
{
    private const string Password = TestUsers.Password;

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ValidationApi_An8DigitTokenAfterThePassword_IsAccepted_AndOnceDisabled_NeitherItNorPassthruLetsIn(DatabaseKind kind)
    {
        await using var validation = await StartAsync(kind);
        await validation.Scenario.CreateUserAsync("carol", Password);
        var cli = new CliRunner(validation.Scenario.Database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "carol")).ExitCode);

        var accepted = await CheckAsync(validation.From(Vpn), ("user", "carol"), ("pass", Password + TokenTestFiles.RfcCodes8[0]));
        Assert.Equal(0, (await cli.RunAsync("tokens", "disable", TokenTestFiles.RfcSerial)).ExitCode);
        var disabled = await CheckAsync(validation.From(Vpn), ("user", "carol"), ("pass", Password + TokenTestFiles.RfcCodes8[1]));
        var passthru = await CheckAsync(validation.From(Legacy), ("user", "carol"), ("pass", Password));

        Assert.Equal("ACCEPT", Authentication(accepted));
        Assert.Equal("REJECT", Authentication(disabled));
        Assert.Equal("REJECT", Authentication(passthru));
        Assert.Equal("the user's second factor is disabled", disabled.GetProperty("detail").GetProperty("message").GetString());
        Assert.Equal("wrong otp pin or otp value", passthru.GetProperty("detail").GetProperty("message").GetString());
        Assert.Empty(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.ValidationPassthru));
    }

    [Fact]
    public async Task Radius_An8DigitTokenAfterThePassword_IsAcceptedByRadclient()
    {
        await using var radius = await RadiusScenario.StartAsync(DatabaseKind.Sqlite);
        await radius.Scenario.CreateUserAsync("carol", Password);
        var cli = new CliRunner(radius.Scenario.Database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "carol")).ExitCode);

        var wrong = await radius.SendAsync("carol", Password + "12345678");
        var right = await radius.SendAsync("carol", Password + TokenTestFiles.RfcCodes8[0]);

        Assert.Equal("Access-Reject", wrong.Code);
        Assert.Equal("Access-Accept", right.Code);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Browser_ADisabledTokensCode_IsRefused_WhileThePhoneBesideItSignsIn(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password);
        await SecondFactorScenario.GiveDeviceAsync(scenario.Host, "alice");
        var cli = new CliRunner(scenario.Database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3))).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "alice")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "disable", TokenTestFiles.RfcSerial)).ExitCode);

        Assert.False(await TokenSignInTests.SignsInAsync(scenario, TokenTestFiles.RfcCodes8[0]));
        Assert.True(await TokenSignInTests.SignsInAsync(scenario, SecondFactorScenario.CodeAt(scenario.Host)));
    }
}
