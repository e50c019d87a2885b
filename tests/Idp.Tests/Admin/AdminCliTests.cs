using System.Net;
using System.Text.Json;
using Idp.Tests.Cli;
using Idp.Tests.Oidc;
using Idp.Tests.SecondFactor;

namespace Idp.Tests.Admin;

/// <summary>The administration verbs of the command line, on the database a running IdP uses.</summary>
public sealed class AdminCliTests
{
    private const string Base32Seed = TestOtp.SeedBase32;

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ImportedLemonLdapRecord_SignsIn_ThenRemoveExportAndAuditTail(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var cli = new CliRunner(oidc.Inner.Database);
        var records = $$"""[{"name":"MyTOTP","type":"TOTP","_secret":"{{Base32Seed}}","epoch":"1524078936"}]""";

        var import = await cli.RunWithInputAsync(records, "devices", "import", "alice", "--file", "-");
        var browser = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var signedIn = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        var exported = await cli.RunAsync("devices", "export", "alice");
        var withSecrets = await cli.RunAsync("devices", "export", "alice", "--include-secrets");
        var removed = await cli.RunAsync("devices", "remove", "alice", "mytotp", "--reason", "phone lost");
        var tail = await cli.RunAsync("audit", "tail", "--user", "alice", "--json");

        Assert.Equal(0, import.ExitCode);
        Assert.Equal("/account", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(0, exported.ExitCode);
        var entries = JsonDocument.Parse(exported.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal("MyTOTP", Assert.Single(entries).GetProperty("name").GetString());
        Assert.All(entries, e => Assert.False(e.TryGetProperty("_secret", out _)));
        var secret = JsonDocument.Parse(withSecrets.Output).RootElement.EnumerateArray().First().GetProperty("_secret").GetString();
        Assert.Equal(Base32Seed, secret);
        Assert.Equal(0, removed.ExitCode);
        Assert.Contains("Removed the device \"MyTOTP\"", removed.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/account")).StatusCode);
        var events = JsonDocument.Parse(tail.Output).RootElement.EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "otp.imported" && e.GetProperty("actor").GetString() == "cli");
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "otp.removed" && e.GetProperty("details").GetString()!.Contains("phone lost", StringComparison.Ordinal));
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "otp.exported");
        Assert.DoesNotContain(Base32Seed, tail.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task RemoveAll_AndEveryBadInput_ClearErrorNothingChanged(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Phone");
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", "Tablet");
        var cli = new CliRunner(oidc.Inner.Database);

        var unknownUser = await cli.RunAsync("devices", "remove", "nobody", "Phone", "--reason", "x");
        var unknownDevice = await cli.RunAsync("devices", "remove", "alice", "Watch", "--reason", "x");
        var blankReason = await cli.RunAsync("devices", "remove", "alice", "Phone", "--reason", " ");
        var noReason = await cli.RunAsync("devices", "remove", "alice", "Phone");
        var both = await cli.RunAsync("devices", "remove", "alice", "Phone", "--all", "--reason", "x");
        var neither = await cli.RunAsync("devices", "remove", "alice", "--reason", "x");
        var badCount = await cli.RunAsync("audit", "tail", "--count", "0");
        var unknownTailUser = await cli.RunAsync("audit", "tail", "--user", "nobody");
        var stillTwo = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Count;
        var all = await cli.RunAsync("devices", "remove", "alice", "--all", "--reason", "offboarding");
        var tail = await cli.RunAsync("audit", "tail", "--type", "otp.removed");

        Assert.Equal((1, "error: no user 'nobody'"), (unknownUser.ExitCode, unknownUser.Error.Trim()));
        Assert.Equal(1, unknownDevice.ExitCode);
        Assert.Contains("no device 'Watch'", unknownDevice.Error, StringComparison.Ordinal);
        Assert.Equal(1, blankReason.ExitCode);
        Assert.Contains("Give a reason", blankReason.Error, StringComparison.Ordinal);
        Assert.Equal(2, noReason.ExitCode);
        Assert.Equal(1, both.ExitCode);
        Assert.Equal(1, neither.ExitCode);
        Assert.Equal(1, badCount.ExitCode);
        Assert.Equal(1, unknownTailUser.ExitCode);
        Assert.Equal(2, stillTwo);
        Assert.Equal(0, all.ExitCode);
        Assert.Contains("Removed 2 device(s)", all.Output, StringComparison.Ordinal);
        Assert.Empty(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
        Assert.Contains("offboarding", tail.Output, StringComparison.Ordinal);
    }
}
