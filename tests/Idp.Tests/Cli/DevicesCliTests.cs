using System.Text.Json;
using Idp.Otp.Abstractions;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Idp.Otp.Verification;

namespace Idp.Tests.Cli;

public sealed class DevicesCliTests
{
    private const string Password = TestUsers.Password;
    private const string Base32Seed = "gezdgnbvgy3tqojqgezdgnbvgy3tqojq"; // "12345678901234567890"
    private static readonly byte[] Seed = TestOtp.Seed;

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Devices_ImportLemonLdapRecords_ListedWithoutSecrets_AndTheirCodesVerify(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var cli = new CliRunner(scenario.Database);
        await cli.RunWithInputAsync(Password + "\n", "users", "add", "alice", "--password-stdin");
        var json = $$"""[{"name":"MyTOTP","type":"TOTP","_secret":"{{Base32Seed}}","epoch":"1524078936"}]""";

        var import = await cli.RunWithInputAsync(json, "devices", "import", "alice", "--file", "-");
        var list = await cli.RunAsync("devices", "list", "alice", "--json");
        var table = await cli.RunAsync("devices", "list", "alice");

        Assert.Equal((0, "Imported 1 device(s) for 'alice'."), (import.ExitCode, import.Output.Trim()));
        var device = JsonDocument.Parse(list.Output).RootElement.EnumerateArray().Single();
        Assert.Equal("MyTOTP", device.GetProperty("name").GetString());
        Assert.Equal("TOTP", device.GetProperty("type").GetString());
        Assert.DoesNotContain(Base32Seed, list.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", list.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("MyTOTP", table.Output, StringComparison.Ordinal);
        var code = TestOtp.CodeAt(scenario.Host.Time.GetUtcNow());
        Assert.Equal(OtpVerificationOutcome.Accepted, (await VerifyAsync(scenario, "alice", code)).Outcome);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Devices_ImportLlngCryptWithKeyFile_Decrypts(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var cli = new CliRunner(database);
        await cli.RunWithInputAsync(Password + "\n", "users", "add", "alice", "--password-stdin");
        var keyFile = Path.GetTempFileName();
        var recordFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(keyFile, "llng-conf-key\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(recordFile, $$"""[{"name":"Phone","type":"TOTP","_secret":"{{new LemonLdapCipher("llng-conf-key").Encrypt(Base32Seed)}}","epoch":1524078936}]""", TestContext.Current.CancellationToken);

        var withoutKey = await cli.RunAsync("devices", "import", "alice", "--file", recordFile);
        var withKey = await cli.RunAsync("devices", "import", "alice", "--file", recordFile, "--llng-key-file", keyFile);

        Assert.Equal(1, withoutKey.ExitCode);
        Assert.Contains("supply the LemonLDAP::NG key", withoutKey.Error, StringComparison.Ordinal);
        Assert.Equal(0, withKey.ExitCode);
    }

    [Theory]
    [InlineData("[{", "not valid JSON")]
    [InlineData("""{"name":"x"}""", "expected a JSON array")]
    [InlineData("""[{"name":"A","type":"TOTP","_secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","epoch":1},{"name":"B","type":"TOTP","_secret":"no+base32","epoch":1}]""", "record 2 (\"B\"): the secret is not Base32")]
    [InlineData("""[{"name":"A","type":"TOTP","_secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","epoch":1},{"name":"a","type":"TOTP","_secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","epoch":2}]""", "already have a device with this name")]
    public async Task Devices_ImportBadInput_NothingImported(string json, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database);
        await cli.RunWithInputAsync(Password + "\n", "users", "add", "alice", "--password-stdin");

        var result = await cli.RunWithInputAsync(json, "devices", "import", "alice", "--file", "-");
        var list = await cli.RunAsync("devices", "list", "alice", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal("[]", list.Output.Trim());
    }

    [Fact]
    public async Task Devices_ImportUnknownUserMissingOrOversizedFile_ClearError()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database);
        await cli.RunWithInputAsync(Password + "\n", "users", "add", "alice", "--password-stdin");
        var big = Path.GetTempFileName();
        await File.WriteAllTextAsync(big, new string(' ', 2 * 1024 * 1024), TestContext.Current.CancellationToken);

        var unknown = await cli.RunWithInputAsync("[]", "devices", "import", "nobody", "--file", "-");
        var missing = await cli.RunAsync("devices", "import", "alice", "--file", "/nonexistent.json");
        var oversized = await cli.RunAsync("devices", "import", "alice", "--file", big);

        Assert.Contains("no user 'nobody'", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("no file '/nonexistent.json'", missing.Error, StringComparison.Ordinal);
        Assert.Contains("larger than 1048576 bytes", oversized.Error, StringComparison.Ordinal);
        Assert.All([unknown, missing, oversized], r => Assert.Equal(1, r.ExitCode));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Secrets_Reencrypt_MovesSeedsToTheNewKey_OldKeyThenUnneeded(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var oldKey = SecretKey.Generate();
        var newKey = SecretKey.Generate();
        var oldKeyFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(oldKeyFile, oldKey.ToBase64(), TestContext.Current.CancellationToken);
        // A server has run on it: signing keys exist under the old key too, and must move with the seeds.
        await using (await IdpTestHost.StartAsync(database, secretKey: oldKey.ToBase64()))
        {
        }

        var withOld = new CliRunner(database, oldKey.ToBase64());
        await withOld.RunWithInputAsync(Password + "\n", "users", "add", "alice", "--password-stdin");
        await withOld.RunWithInputAsync($$"""[{"name":"MyTOTP","type":"TOTP","_secret":"{{Base32Seed}}","epoch":1}]""", "devices", "import", "alice", "--file", "-");

        var rotating = new CliRunner(database, newKey.ToBase64(), new Dictionary<string, string?> { ["Idp:Secrets:PreviousKeyFiles:0"] = oldKeyFile });
        var result = await rotating.RunAsync("secrets", "reencrypt");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Re-encrypted 1 OTP seed(s)", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 signing key(s)", result.Output, StringComparison.Ordinal);
        await using var host = await IdpTestHost.StartAsync(database, secretKey: newKey.ToBase64());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.CreateBrowser().GetAsync("/.well-known/jwks.json")).StatusCode);
        await using var scope = host.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IOtpDeviceStore>().LoadAsync(await UserIdAsync(scope, "alice"), CancellationToken.None);
        Assert.Equal(newKey.Id, SecretProtector.KeyIdOf(stored.Document.Devices[0].Secret));
        Assert.True(scope.ServiceProvider.GetRequiredService<SecretProtector>().TryUnprotect(stored.Document.Devices[0].Secret, OtpSecretPurposes.OtpSeed, out var seed));
        Assert.Equal(Seed, seed);
    }

    private static async Task<OtpVerificationResult> VerifyAsync(Scenario scenario, string userName, string code)
    {
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OtpVerificationService>().VerifyAsync(await UserIdAsync(scope, userName), code, null, CancellationToken.None);
    }

    private static async Task<string> UserIdAsync(AsyncServiceScope scope, string userName)
        => (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Idp.Persistence.Entities.IdpUser>>().FindByNameAsync(userName))!.Id;
}
