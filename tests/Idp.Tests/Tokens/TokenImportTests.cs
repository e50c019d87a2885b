using System.Text.Json;
using Idp.Tests.Cli;

namespace Idp.Tests.Tokens;

/// <summary>Every bad token file is refused whole, with a message naming the entry, and nothing of it is imported.</summary>
public sealed class TokenImportTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task BadFiles_AreRefusedWhole_NamingTheEntry_AndNothingIsImported(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var cli = new CliRunner(database);
        var wrongKey = await TokenTestFiles.KeyFileAsync("00000000000000000000000000000000");
        var goodRow = "OK-1, 3132333435363738393031323334353637383930, hotp, 6, 0\n";
        var oversized = await TokenTestFiles.WriteAsync(goodRow + new string('#', 11 * 1024 * 1024));
        var cases = new (string[] Args, string Expected)[]
        {
            (["--file", TokenTestFiles.Figure(6)], "give that key"),
            (["--file", TokenTestFiles.Figure(6), "--psk-file", wrongKey], "a wrong key or password"),
            (["--file", TokenTestFiles.Figure(4)], "key 987654321: no secret"),
            (["--file", await TokenTestFiles.WriteAsync(File.ReadAllText(TokenTestFiles.Figure(6)).Replace("Su+NvtQfmvfJzF6bmQiJqoLRExc=", "Tu+NvtQfmvfJzF6bmQiJqoLRExc=", StringComparison.Ordinal), ".xml"), "--psk-file", await TokenTestFiles.KeyFileAsync()], "the ValueMAC does not match"),
            (["--file", await TokenTestFiles.WriteAsync(goodRow + "BAD-HEX, 31zz, hotp, 6, 0\n")], "line 2: the seed of BAD-HEX is not hex"),
            (["--file", await TokenTestFiles.WriteAsync(goodRow + "SHORT, 31323334, hotp, 6, 0\n")], "line 2: the seed of SHORT must be 16 to 128 bytes"),
            (["--file", await TokenTestFiles.WriteAsync(goodRow + "HUGE, 3132333435363738393031323334353637383930, hotp, 6, 9223372036854775807\n")], "line 2: the counter of HUGE must be a whole number from 0 to"),
            (["--file", await TokenTestFiles.WriteAsync(goodRow + "ALG, 3132333435363738393031323334353637383930, motp, 6, 0\n")], "line 2: unknown type \"motp\""),
            (["--file", await TokenTestFiles.WriteAsync(goodRow + "OK-1, 3132333435363738393031323334353637383930, hotp, 6, 0\n")], "line 2: the serial OK-1 appears twice"),
            (["--file", await TokenTestFiles.WriteAsync(goodRow + "U, 3132333435363738393031323334353637383930, hotp, 6, 0, nobody\n")], "token U: No user 'nobody'."),
            (["--file", await TokenTestFiles.WriteAsync(Figure3WithSuite("HMAC-MD5"), ".xml")], "unknown algorithm suite \"HMAC-MD5\""),
            (["--file", await TokenTestFiles.WriteAsync(Figure3WithSecret("not base64!"), ".xml")], "key 987654321: PlainValue is not Base64"),
            (["--file", oversized], "larger than 10 MB"),
            (["--file", TokenTestFiles.Figure(3), "--format", "xml"], "--format: 'xml' is not pskc or oath-csv"),
            (["--file", "/nonexistent/tokens.csv"], "--file: no file '/nonexistent/tokens.csv'"),
        };

        foreach (var (args, expected) in cases)
        {
            var refused = await cli.RunAsync(["tokens", "import", .. args]);
            Assert.True(refused.ExitCode == 1, $"{string.Join(' ', args)} exited {refused.ExitCode}: {refused.Output}");
            Assert.Contains(expected, refused.Error, StringComparison.Ordinal);
        }

        Assert.Equal(0, await CountAsync(cli));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ASerialAlreadyInThePool_RefusesTheFile_UnlessSkipExisting(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var cli = new CliRunner(database);
        Assert.Equal(0, (await cli.RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3))).ExitCode);
        var csv = await TokenTestFiles.WriteAsync($"NEW-1, 3132333435363738393031323334353637383930, hotp, 6, 0\n{TokenTestFiles.RfcSerial}, 3132333435363738393031323334353637383930, hotp, 6, 0\n");

        var refused = await cli.RunAsync("tokens", "import", "--file", csv);
        var countAfterRefusal = await CountAsync(cli);
        var skipped = await cli.RunAsync("tokens", "import", "--file", csv, "--skip-existing");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"the serial {TokenTestFiles.RfcSerial} is already in the pool; nothing was imported", refused.Error, StringComparison.Ordinal);
        Assert.Equal(1, countAfterRefusal);
        Assert.Equal((0, "Imported 1 token(s), assigned 0, skipped 1 already in the pool."), (skipped.ExitCode, skipped.Output.Trim()));
        Assert.Equal(2, await CountAsync(cli));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Figure7_APasswordEncryptedFile_ImportsWithThePasswordOnStandardInput(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var cli = new CliRunner(database);

        var wrong = await cli.RunWithInputAsync("qwertz\n", "tokens", "import", "--file", TokenTestFiles.Figure(7), "--password-stdin");
        var right = await cli.RunWithInputAsync("qwerty\n", "tokens", "import", "--file", TokenTestFiles.Figure(7), "--password-stdin");

        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal(0, right.ExitCode);
        Assert.Equal(1, await CountAsync(cli));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task TheSeedIsStoredEncrypted_AndNeverPrinted(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var cli = new CliRunner(scenario.Database);
        var import = await cli.RunAsync("tokens", "import", "--file", TokenTestFiles.Figure(3));
        var list = await cli.RunAsync("tokens", "list", "--json");

        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var stored = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            scope.ServiceProvider.GetRequiredService<Idp.Persistence.IdpDbContext>().HardwareTokens.AsQueryable());
        var row = Assert.Single(await stored);
        Assert.StartsWith("{idp}", row.Secret, StringComparison.Ordinal);
        Assert.DoesNotContain("MTIzNDU2Nzg5MDEyMzQ1Njc4OTA", row.Secret, StringComparison.Ordinal);
        foreach (var printed in new[] { import.Output, import.Error, list.Output })
        {
            Assert.DoesNotContain("3132333435", printed, StringComparison.Ordinal);
            Assert.DoesNotContain("MTIzNDU2Nzg5MDEyMzQ1Njc4OTA", printed, StringComparison.Ordinal);
        }
    }

    internal static async Task<int> CountAsync(CliRunner cli)
    {
        var list = await cli.RunAsync("tokens", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        return JsonDocument.Parse(list.Output).RootElement.GetProperty("total").GetInt32();
    }

    private static string Figure3WithSuite(string suite)
        => File.ReadAllText(TokenTestFiles.Figure(3)).Replace("<AlgorithmParameters>", $"<AlgorithmParameters><Suite>{suite}</Suite>", StringComparison.Ordinal);

    private static string Figure3WithSecret(string base64)
        => System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(TokenTestFiles.Figure(3)), "<PlainValue>MTIz[^<]*</PlainValue>", $"<PlainValue>{base64}</PlainValue>");
}
