using System.Net;
using System.Text.Json;
using Idp.Otp.Algorithms;
using Idp.Tests.Cli;
using Idp.Tests.SecondFactor;

namespace Idp.Tests.Tokens;

/// <summary>Imported hardware tokens, assigned with the command line, sign in with the codes the RFCs and oathtool give.</summary>
public sealed class TokenSignInTests
{
    private const string Password = TestUsers.Password;

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Figure6_ImportedWithItsKey_Assigned_SignsInWithRfcCodes_RefusedWhileDisabled_AndResyncedAfterRunningAhead(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password);
        var cli = new CliRunner(scenario.Database);

        var import = await cli.RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(6), "--psk-file", await TokenTestFiles.KeyFileAsync());
        var pool = await cli.RunAsync("tokens", "list", "--unassigned", "--json");
        var assign = await cli.RunAsync("tokens", "assign", TokenTestFiles.RfcSerial, "alice", "--reason", "new starter");

        Assert.Equal((0, "Imported 1 token(s), assigned 0, skipped 0 already in the pool."), (import.ExitCode, import.Output.Trim()));
        Assert.Equal(TokenTestFiles.RfcSerial, JsonDocument.Parse(pool.Output).RootElement.GetProperty("tokens")[0].GetProperty("serial").GetString());
        Assert.DoesNotContain("secret", pool.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((0, $"Assigned the token {TokenTestFiles.RfcSerial} to 'alice'."), (assign.ExitCode, assign.Output.Trim()));
        Assert.True(await SignsInAsync(scenario, TokenTestFiles.RfcCodes8[0]));

        var disable = await cli.RunAsync("tokens", "disable", TokenTestFiles.RfcSerial, "--reason", "reported lost");
        var refused = await SignInAsync(scenario);
        var listed = await cli.RunAsync("tokens", "list", "--disabled");

        Assert.Equal(0, disable.ExitCode);
        Assert.Contains("Your second factor is disabled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Matches($@"{TokenTestFiles.RfcSerial}\s+HOTP\s+SHA1\s+8\s+assigned, disabled\s+alice", listed.Output);

        Assert.Equal(0, (await cli.RunAsync("tokens", "enable", TokenTestFiles.RfcSerial)).ExitCode);
        Assert.True(await SignsInAsync(scenario, TokenTestFiles.RfcCodes8[1]));

        // The button pressed forty times away from Idp: beyond the look-ahead (Otp:HotpLookAhead, 10), so refused,
        // until two consecutive codes resynchronise it.
        var seed = TestOtp.Seed;
        Assert.False(await SignsInAsync(scenario, await OathTool.HotpAsync(seed, 40)));
        var wrongResync = await cli.RunAsync("tokens", "resync", TokenTestFiles.RfcSerial, await OathTool.HotpAsync(seed, 40), await OathTool.HotpAsync(seed, 42));
        var resync = await cli.RunAsync("tokens", "resync", TokenTestFiles.RfcSerial, await OathTool.HotpAsync(seed, 40), await OathTool.HotpAsync(seed, 41));

        Assert.Equal(1, wrongResync.ExitCode);
        Assert.Contains("not consecutive codes", wrongResync.Error, StringComparison.Ordinal);
        Assert.Equal((0, $"The token {TokenTestFiles.RfcSerial} is in step again: its next counter is 42."), (resync.ExitCode, resync.Output.Trim()));
        Assert.False(await SignsInAsync(scenario, await OathTool.HotpAsync(seed, 41)));
        Assert.True(await SignsInAsync(scenario, await OathTool.HotpAsync(seed, 42)));

        var events = await AdminEventsAsync(scenario);
        Assert.Contains(events, e => e.Type == "token.imported" && e.Actor == "cli");
        Assert.Contains(events, e => e.Type == "token.assigned" && e.Details!.Contains("reason: new starter", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "token.disabled" && e.Details!.Contains("reason: reported lost", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "token.enabled");
        Assert.Contains(events, e => e.Type == "token.resynced");
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task OathCsv_ARowNamingAUser_AssignsAtImport_AndATotpTokenSignsInWithOathtoolsCode(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password);
        var cli = new CliRunner(scenario.Database);
        var seed = Convert.FromHexString("3132333435363738393031323334353637383930313233343536373839303132");
        var csv = await TokenTestFiles.WriteAsync($"""
            serial, seed, type, digits, counter-or-step, user
            HW-TOTP-1, {Convert.ToHexStringLower(seed)}, totp, 6, 30, alice
            HW-HOTP-2, 3132333435363738393031323334353637383930, hotp, 6, 0
            """);

        var import = await cli.RunAsync("tokens", "import", "--file", csv, "--format", "oath-csv");
        var table = await cli.RunAsync("tokens", "list");

        Assert.Equal((0, "Imported 2 token(s), assigned 1, skipped 0 already in the pool."), (import.ExitCode, import.Output.Trim()));
        Assert.Matches(@"HW-HOTP-2\s+HOTP\s+SHA1\s+6\s+unassigned\s+-", table.Output);
        Assert.Matches(@"HW-TOTP-1\s+TOTP\s+SHA1\s+6\s+assigned\s+alice", table.Output);
        Assert.True(await SignsInAsync(scenario, await OathTool.TotpAsync(seed, scenario.Host.Time.GetUtcNow())));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ATotpTokenWhoseClockDrifted_IsResynced_AndSignsInOnItsOwnTime(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password);
        var cli = new CliRunner(scenario.Database);
        var seed = TestOtp.Seed;
        var csv = await TokenTestFiles.WriteAsync($"HW-T, {Convert.ToHexStringLower(seed)}, totp, 6, 30, alice\n");
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", csv)).ExitCode);
        // The token's clock runs 20 minutes fast: 40 steps, beyond Otp:Range (1).
        var tokenNow = scenario.Host.Time.GetUtcNow().AddMinutes(20);
        var cliNow = DateTimeOffset.UtcNow.AddMinutes(20);

        Assert.False(await SignsInAsync(scenario, await OathTool.TotpAsync(seed, tokenNow)));
        var resync = await cli.RunAsync("tokens", "resync", "HW-T", await OathTool.TotpAsync(seed, cliNow.AddSeconds(-30)), await OathTool.TotpAsync(seed, cliNow));

        Assert.Equal(0, resync.ExitCode);
        // Read by the command line on the machine's clock, a second or two after the test's: 40 steps, or 39 across a step's end.
        Assert.Matches("its clock is (39|40) step", resync.Output);
        scenario.Host.Time.Advance(TimeSpan.FromSeconds(90));
        Assert.True(await SignsInAsync(scenario, await OathTool.TotpAsync(seed, tokenNow.AddSeconds(90))));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task APskcTotpToken_Sha256_EightDigits_SixtySeconds_SignsInWithOathtoolsCode(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password);
        var cli = new CliRunner(scenario.Database);
        var seed = "12345678901234567890123456789012"u8.ToArray();
        var file = await TokenTestFiles.WriteAsync($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">
              <KeyPackage>
                <DeviceInfo><Manufacturer>Example</Manufacturer><SerialNo>T256-1</SerialNo></DeviceInfo>
                <Key Id="T256-1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp">
                  <AlgorithmParameters><Suite>HMAC-SHA256</Suite><ResponseFormat Length="8" Encoding="DECIMAL"/></AlgorithmParameters>
                  <Data>
                    <Secret><PlainValue>{Convert.ToBase64String(seed)}</PlainValue></Secret>
                    <TimeInterval><PlainValue>60</PlainValue></TimeInterval>
                  </Data>
                </Key>
              </KeyPackage>
            </KeyContainer>
            """, ".xml");
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", file)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("tokens", "assign", "T256-1", "alice")).ExitCode);
        var listed = await cli.RunAsync("tokens", "list");
        var now = scenario.Host.Time.GetUtcNow();

        Assert.Matches(@"T256-1\s+TOTP\s+SHA256\s+8\s+assigned\s+alice", listed.Output);
        Assert.False(await SignsInAsync(scenario, await OathTool.TotpAsync(seed, now, digits: 8, period: 60)), "a SHA-1 code of the seed must not sign in");
        Assert.True(await SignsInAsync(scenario, await OathTool.TotpAsync(seed, now, digits: 8, period: 60, algorithm: "sha256")));
    }

    internal static async Task<HttpResponseMessage> SignInAsync(Scenario scenario, string user = "alice")
    {
        var browser = scenario.Host.CreateBrowser();
        return await scenario.SignInAsync(browser, user, Password);
    }

    /// <summary>Password, then the code: true when the session is made (the code page sends the person on to /account).</summary>
    internal static async Task<bool> SignsInAsync(Scenario scenario, string code, string user = "alice")
    {
        var browser = scenario.Host.CreateBrowser();
        var password = await scenario.SignInAsync(browser, user, Password);
        Assert.Equal("/account/2fa", password.Headers.Location?.OriginalString);
        var answered = await SecondFactorScenario.SubmitCodeAsync(browser, code);
        return answered.StatusCode == HttpStatusCode.Redirect && answered.Headers.Location!.OriginalString == "/account";
    }

    internal static Task<List<Idp.Persistence.Entities.AuditEvent>> AdminEventsAsync(Scenario scenario) => TestAudit.EventsAsync(scenario.Host.Services);
}
