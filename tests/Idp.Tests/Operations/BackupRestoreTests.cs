using System.Net;
using Idp.Tests.Cli;
using Idp.Tests.Oidc;
using Idp.Tests.SecondFactor;

namespace Idp.Tests.Operations;

/// <summary><c>Idp backup</c> and <c>Idp restore</c>: a consistent encrypted archive, restored into either database.</summary>
public sealed class BackupRestoreTests
{
    private const string OtherSecretKey = "b3RoZXItdGVzdC1rZXktMTIzNDU2Nzg5MGFiY2RlZmc=";

    [Fact]
    public async Task SqliteToPostgresAndBack_UsersSignInWithTheirCodes_AndRefreshTokensAndSessionsStillWork()
    {
        using var archives = new BackupArchives();
        var (fromSqlite, refreshToken, cookies) = await BackUpAliceAsync(archives, DatabaseKind.Sqlite);

        var postgres = await TestDatabase.CreateEmptyAsync(DatabaseKind.Postgres);
        var restored = await new CliRunner(postgres).RunAsync("restore", "--in", fromSqlite, "--key-file", archives.KeyFile);
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Matches(@"Restored \d+ row\(s\) into PostgreSQL database", restored.Output);

        var fromPostgres = archives.PathOf("from-postgres.idpbak");
        await using (var onPostgres = await OidcScenario.StartOnAsync(postgres))
        {
            await ProveAliceIsWholeAsync(onPostgres, refreshToken, cookies);
            var backup = await new CliRunner(postgres).RunAsync("backup", "--out", fromPostgres, "--key-file", archives.KeyFile);
            Assert.True(backup.ExitCode == 0, backup.Error);
        }

        await using var sqlite = await TestDatabase.CreateEmptyAsync(DatabaseKind.Sqlite);
        var back = await new CliRunner(sqlite).RunAsync("restore", "--in", fromPostgres, "--key-file", archives.KeyFile);
        var again = archives.PathOf("again.idpbak");
        var second = await new CliRunner(sqlite).RunAsync("backup", "--out", again, "--key-file", archives.KeyFile);

        Assert.True(back.ExitCode == 0, back.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        // Every row came back as it was; the only new one is the restore's own audit event.
        var before = await archives.RowsAsync(fromPostgres);
        var after = await archives.RowsAsync(again);
        var added = Assert.Single(after.Except(before));
        Assert.StartsWith("AuditEvents ", added, StringComparison.Ordinal);
        Assert.Contains("\"admin.restore\"", added, StringComparison.Ordinal);
        Assert.Empty(before.Except(after));
        Assert.Contains(before, r => r.StartsWith("UserOtpDevices ", StringComparison.Ordinal));
        Assert.Contains(before, r => r.StartsWith("RefreshTokens ", StringComparison.Ordinal));
        Assert.Contains(before, r => r.StartsWith("DataProtectionKeys ", StringComparison.Ordinal));
        Assert.Contains(before, r => r.StartsWith("SigningKeys ", StringComparison.Ordinal));
        Assert.Contains(before, r => r.StartsWith("UserSessions ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostgresToSqlite_UsersSignInWithTheirCodes_AndRefreshTokensAndSessionsStillWork()
    {
        using var archives = new BackupArchives();
        var (archive, refreshToken, cookies) = await BackUpAliceAsync(archives, DatabaseKind.Postgres);
        var sqlite = await TestDatabase.CreateEmptyAsync(DatabaseKind.Sqlite);

        var restored = await new CliRunner(sqlite).RunWithInputAsync(Convert.ToBase64String(archives.Key) + "\n", "restore", "--in", archive, "--key-file", "-");

        Assert.True(restored.ExitCode == 0, restored.Error);
        await using var onSqlite = await OidcScenario.StartOnAsync(sqlite);
        await ProveAliceIsWholeAsync(onSqlite, refreshToken, cookies);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ADatabaseThatIsNotEmptyIsRefused_UnlessReplaceIsGiven(DatabaseKind kind)
    {
        using var archives = new BackupArchives();
        await using var oidc = await OidcScenario.StartAsync(kind);
        var cli = new CliRunner(oidc.Inner.Database);
        var archive = archives.PathOf("a.idpbak");
        Assert.Equal(0, (await cli.RunAsync("backup", "--out", archive, "--key-file", archives.KeyFile)).ExitCode);
        await oidc.Inner.CreateUserAsync("carol", OidcScenario.Password);

        var refused = await cli.RunAsync("restore", "--in", archive, "--key-file", archives.KeyFile);
        var carolAfterRefusal = await UserExistsAsync(oidc, "carol");
        var replaced = await cli.RunAsync("restore", "--in", archive, "--key-file", archives.KeyFile, "--replace");

        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"is not empty \(.*AspNetUsers.*\): restore into an empty database, or add --replace", refused.Error);
        Assert.True(carolAfterRefusal);
        Assert.True(replaced.ExitCode == 0, replaced.Error);
        Assert.False(await UserExistsAsync(oidc, "carol"));
        Assert.True(await UserExistsAsync(oidc, "alice"));
    }

    [Fact]
    public async Task AWrongArchiveKey_AnAlteredByte_OrACutShortArchive_IsRefusedAndWritesNothing()
    {
        using var archives = new BackupArchives();
        var (archive, _, _) = await BackUpAliceAsync(archives, DatabaseKind.Sqlite);
        var bytes = await File.ReadAllBytesAsync(archive);
        var altered = archives.PathOf("altered.idpbak");
        var flipped = bytes.ToArray();
        flipped[^40] ^= 0x01;
        await File.WriteAllBytesAsync(altered, flipped);
        var cut = archives.PathOf("cut.idpbak");
        await File.WriteAllBytesAsync(cut, bytes[..^10]);
        var otherKey = archives.PathOf("other.key");
        await File.WriteAllTextAsync(otherKey, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var notAnArchive = archives.PathOf("notes.txt");
        await File.WriteAllTextAsync(notAnArchive, "hello");
        await using var target = await TestDatabase.CreateEmptyAsync(DatabaseKind.Postgres);
        var cli = new CliRunner(target);

        var wrongKey = await cli.RunAsync("restore", "--in", archive, "--key-file", otherKey);
        var wasAltered = await cli.RunAsync("restore", "--in", altered, "--key-file", archives.KeyFile);
        var wasCut = await cli.RunAsync("restore", "--in", cut, "--key-file", archives.KeyFile);
        var notOurs = await cli.RunAsync("restore", "--in", notAnArchive, "--key-file", archives.KeyFile);
        var pending = await cli.RunAsync("migrate", "--dry-run");
        var finallyRight = await cli.RunAsync("restore", "--in", archive, "--key-file", archives.KeyFile);

        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains($"cannot be decrypted with the key from {otherKey}", wrongKey.Error, StringComparison.Ordinal);
        Assert.Equal(1, wasAltered.ExitCode);
        Assert.Contains("altered", wasAltered.Error, StringComparison.Ordinal);
        Assert.Equal(1, wasCut.ExitCode);
        Assert.Contains("cut short", wasCut.Error, StringComparison.Ordinal);
        Assert.Equal(1, notOurs.ExitCode);
        Assert.Contains("not an Idp backup archive", notOurs.Error, StringComparison.Ordinal);
        // Refused before the target was touched: not even its schema was created.
        Assert.Matches(@"\d+ migration\(s\) would be applied", pending.Output);
        Assert.True(finallyRight.ExitCode == 0, finallyRight.Error);
    }

    [Fact]
    public async Task WithoutTheSecretKeyTheArchiveNeeds_RestoreNamesWhatCannotBeRead_AndWritesNothing()
    {
        using var archives = new BackupArchives();
        var (archive, _, _) = await BackUpAliceAsync(archives, DatabaseKind.Sqlite);
        await using var target = await TestDatabase.CreateEmptyAsync(DatabaseKind.Sqlite);

        var withOtherKey = await new CliRunner(target, OtherSecretKey).RunAsync("restore", "--in", archive, "--key-file", archives.KeyFile);
        var pending = await new CliRunner(target).RunAsync("migrate", "--dry-run");
        var withTheKey = await new CliRunner(target).RunAsync("restore", "--in", archive, "--key-file", archives.KeyFile);

        Assert.Equal(1, withOtherKey.ExitCode);
        Assert.Contains("cannot be read with the secret key this Idp is configured with (Idp:Secrets)", withOtherKey.Error, StringComparison.Ordinal);
        Assert.Contains("value(s) in UserOtpDevices", withOtherKey.Error, StringComparison.Ordinal);
        Assert.Contains("value(s) in SigningKeys", withOtherKey.Error, StringComparison.Ordinal);
        Assert.Contains("value(s) in DataProtectionKeys", withOtherKey.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", withOtherKey.Error, StringComparison.Ordinal);
        Assert.Matches(@"\d+ migration\(s\) would be applied", pending.Output);
        Assert.True(withTheKey.ExitCode == 0, withTheKey.Error);
    }

    /// <summary>
    /// Text anyone can have stored (an authorize request's state, a device name) that looks like an encrypted value
    /// under an unknown key must not make the archive unrestorable: only the columns that hold secrets are checked.
    /// </summary>
    [Fact]
    public async Task LookalikeSecretsPlantedByAnOutsider_DoNotMakeTheArchiveUnrestorable()
    {
        using var archives = new BackupArchives();
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        const string lookalike = "{idp}v1.000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var planted = await oidc.Host.CreateBrowser().GetAsync(OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(state: lookalike, pkce: Pkce.Create())));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice", lookalike[..20]);
        var archive = archives.PathOf("planted.idpbak");
        Assert.Equal(0, (await new CliRunner(oidc.Inner.Database).RunAsync("backup", "--out", archive, "--key-file", archives.KeyFile)).ExitCode);
        await using var target = await TestDatabase.CreateEmptyAsync(DatabaseKind.Sqlite);

        var restored = await new CliRunner(target).RunAsync("restore", "--in", archive, "--key-file", archives.KeyFile);

        Assert.Equal(HttpStatusCode.Redirect, planted.StatusCode);
        Assert.Contains(await archives.RowsAsync(archive), r => r.StartsWith("PendingAuthorizations ", StringComparison.Ordinal) && r.Contains("{idp}v1.000000000000.", StringComparison.Ordinal));
        Assert.True(restored.ExitCode == 0, restored.Error);
    }

    [Fact]
    public async Task BadKeyFiles_AndAnExistingOutputFile_AreRefusedWithTheirName()
    {
        using var archives = new BackupArchives();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var cli = new CliRunner(database);
        var shortKey = archives.PathOf("short.key");
        await File.WriteAllTextAsync(shortKey, Convert.ToBase64String(new byte[16]));
        var notBase64 = archives.PathOf("text.key");
        await File.WriteAllTextAsync(notBase64, "correct horse battery staple");
        var existing = archives.PathOf("exists.idpbak");
        await File.WriteAllTextAsync(existing, "keep me");

        var missing = await cli.RunAsync("backup", "--out", archives.PathOf("a.idpbak"), "--key-file", archives.PathOf("nope.key"));
        var tooShort = await cli.RunAsync("backup", "--out", archives.PathOf("a.idpbak"), "--key-file", shortKey);
        var text = await cli.RunAsync("backup", "--out", archives.PathOf("a.idpbak"), "--key-file", notBase64);
        var emptyStdin = await cli.RunAsync("backup", "--out", archives.PathOf("a.idpbak"), "--key-file", "-");
        var overwrite = await cli.RunAsync("backup", "--out", existing, "--key-file", archives.KeyFile);
        var noArchive = await cli.RunAsync("restore", "--in", archives.PathOf("none.idpbak"), "--key-file", archives.KeyFile);

        Assert.Contains("--key-file", missing.Error, StringComparison.Ordinal);
        Assert.Contains("no such file", missing.Error, StringComparison.Ordinal);
        Assert.Contains($"--key-file {shortKey}: 16 bytes; it must hold the Base64 of 32 random bytes", tooShort.Error, StringComparison.Ordinal);
        Assert.Contains($"--key-file {notBase64}: not Base64", text.Error, StringComparison.Ordinal);
        Assert.Contains("--key-file - (standard input)", emptyStdin.Error, StringComparison.Ordinal);
        Assert.Contains("the file exists", overwrite.Error, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));
        Assert.Contains("--in", noArchive.Error, StringComparison.Ordinal);
        Assert.All([missing, tooShort, text, emptyStdin, overwrite, noArchive], r => Assert.Equal(1, r.ExitCode));
        Assert.False(File.Exists(archives.PathOf("a.idpbak")));
        Assert.False(File.Exists(archives.PathOf("a.idpbak.partial")));
    }

    /// <summary>
    /// Alice signs in to the web app (a refresh token, and a session cookie), then gets a device; the database is backed
    /// up while the node runs. The source database is gone afterwards: only the archive is left.
    /// </summary>
    private static async Task<(string Archive, string RefreshToken, CookieContainer Cookies)> BackUpAliceAsync(BackupArchives archives, DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind);
        var browser = oidc.Host.CreateBrowser(out var cookies);
        var tokens = await oidc.SignInAndRedeemAsync(browser);
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var archive = archives.PathOf($"from-{kind}.idpbak".ToLowerInvariant());
        var backup = await new CliRunner(oidc.Inner.Database).RunAsync("backup", "--out", archive, "--key-file", archives.KeyFile);
        Assert.True(backup.ExitCode == 0, backup.Error);
        Assert.Contains("The secret key (Idp:Secrets) is not in the archive", backup.Output, StringComparison.Ordinal);
        return (archive, tokens.GetProperty("refresh_token").GetString()!, cookies);
    }

    /// <summary>The refresh token redeems, the old browser's session still opens /account, and a new sign-in takes her code.</summary>
    private static async Task ProveAliceIsWholeAsync(OidcScenario oidc, string refreshToken, CookieContainer cookies)
    {
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(2));
        var refreshed = await oidc.RefreshAsync(refreshToken);
        var oldSession = await oidc.Host.CreateBrowserSharing(cookies).GetAsync("/account");
        var browser = oidc.Host.CreateBrowser();
        var password = await oidc.Inner.SignInAsync(browser, "alice", OidcScenario.Password);
        var code = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        var account = await SecondFactorScenario.FollowAsync(browser, code);

        Assert.True(refreshed.IsSuccessStatusCode, await refreshed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, oldSession.StatusCode);
        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Equal("/account", account.RequestMessage!.RequestUri!.AbsolutePath);
    }

    private static async Task<bool> UserExistsAsync(OidcScenario oidc, string userName)
    {
        await using var scope = oidc.Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Idp.Persistence.Entities.IdpUser>>().FindByNameAsync(userName) is not null;
    }
}
