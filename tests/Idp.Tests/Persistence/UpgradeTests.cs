using System.Data.Common;
using Idp.Hosting;
using Idp.Otp.Secrets;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.Secrets;
using Idp.Tests.SecondFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.Persistence;

/// <summary>
/// A rolling upgrade from the previous release: its schema (the migrations as they were at <see cref="PreviousRelease"/>),
/// with data written by that release's means, is migrated; nothing of it is lost or changed, every table, column,
/// key and index it had is still there as it was (so its queries keep working while old nodes still serve), and the
/// new code signs its users in.
/// </summary>
public sealed class UpgradeTests
{
    /// <summary>The last commit before the current work (#15, #16): migrations 0001 to 0009.</summary>
    private const string PreviousRelease = "b1d59dc";

    private const string LastMigrationThen = "0009_store_cache";

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task FromThePreviousRelease_NothingIsLost_EverythingItHadStays_AndItsUsersSignIn(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateEmptyAsync(kind);
        await using (var db = Context(database))
        {
            var applied = await Migrator(db, database).MigrateAsync(CancellationToken.None, upTo: LastMigrationThen);
            Assert.Equal(LastMigrationThen, applied[^1]);
        }

        var before = await SchemaDump.ReadAsync(database);
        await WriteAsOldNodesDidAsync(database);

        IReadOnlyList<string> upgraded;
        await using (var db = Context(database))
        {
            upgraded = await Migrator(db, database).MigrateAsync(CancellationToken.None);
        }

        var after = await SchemaDump.ReadAsync(database);
        Assert.NotEmpty(upgraded);
        Assert.All(upgraded, version => Assert.True(string.CompareOrdinal(version, LastMigrationThen) > 0));
        // Expand only: every line of the old schema is in the new one, unchanged (contracting waits for a later release).
        Assert.Empty(before.Except(after));

        await using var host = await IdpTestHost.StartAsync(database);
        var browser = host.CreateBrowser();
        var password = await HtmlForm.SubmitAsync(browser, "/account/login", new Dictionary<string, string> { ["Login"] = "olduser", ["Password"] = TestUsers.Password });
        Assert.Equal("/account/2fa", password.Headers.Location?.OriginalString);
        Assert.Equal("/account", (await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(host))).Headers.Location?.OriginalString);
        await using var scope = host.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>().FindByNameAsync("olduser");
        Assert.Equal(("olduser@example.com", "sub-olduser"), (user!.Email, user.SubjectId));
        Assert.Equal("the old node wrote this", (await scope.ServiceProvider.GetRequiredService<IdpDbContext>().AuditEvents.SingleAsync(e => e.Type == "test.before_upgrade")).Details);
    }

    /// <summary>SHA-256 of each migration file as it was at <see cref="PreviousRelease"/> (so the test needs no git history).</summary>
    private static readonly Dictionary<string, string> ReleasedMigrations = new(StringComparer.Ordinal)
    {
        ["Postgres/0001_initial.sql"] = "f9f2fc9ac092c9bd06887c1d8d38fa0ef544087c54cef9a58f882a797479779a",
        ["Postgres/0002_oidc.sql"] = "eccc8e20ecca0c140866f536926fb4c51309c657b6807eef1baf7504aac8033c",
        ["Postgres/0003_second_factor.sql"] = "e59b727a5f0fc274287ae43965e0c73693a8415503a5fe75b9962af3475027e0",
        ["Postgres/0004_change_key.sql"] = "8eafe34cf68b66beaace08a1b3326688b555142a63d6b5b1d1363e0f3bdd553c",
        ["Postgres/0005_pending_purpose.sql"] = "a3d6c398c4d037e8ab60b867ed43d1f629bca5a9a73148acfbff8c09ff8f91ea",
        ["Postgres/0006_grant_cleanup.sql"] = "f8dcaaaa07d933474087fe444530537eb9bc77d1c47643281af522fd273212c7",
        ["Postgres/0007_validation_transactions.sql"] = "db8970324befe668a8a226739ae426465096ae75e2d9f13ddab866db76e8713c",
        ["Postgres/0008_user_stores.sql"] = "dfe1e33cd5a29ffda50212232b45719d7f37472c4e2abc1ebde5e24692faa9fa",
        ["Postgres/0009_store_cache.sql"] = "2f26bc614c035010da4a7437cd17a8e0201132ea0209e7da35cbb4cc6bf8cf4b",
        ["Sqlite/0001_initial.sql"] = "925a53e16d2155be27e81698fee3ac5fb113ebc43755f86a4ccba4b9a753c161",
        ["Sqlite/0002_oidc.sql"] = "b12d8e52b9c0d0c76d1905f37ce1e5ced7fb95bcea3a46838e2e0a365223f52d",
        ["Sqlite/0003_second_factor.sql"] = "b420ebd500b3c00baea87df7b8b53b69d0aaa7f11ad4106f67d3b203be01d2b9",
        ["Sqlite/0004_change_key.sql"] = "6ba04b43b9ad6b54c9cf6b9d804a267b7484a28f3a6513897b29733e920b8968",
        ["Sqlite/0005_pending_purpose.sql"] = "2cf1e45a703eb70c28cde0050db37e149ec429d3f9a0d041e3ba23c83b5bdc50",
        ["Sqlite/0006_grant_cleanup.sql"] = "f8dcaaaa07d933474087fe444530537eb9bc77d1c47643281af522fd273212c7",
        ["Sqlite/0007_validation_transactions.sql"] = "e17c1e11663ca02dcf8d552cfcbe48249347e9d0af297444d505dc213c5e227c",
        ["Sqlite/0008_user_stores.sql"] = "f70e41e910b9ea03ead14ecb8dfdc7d5d72cb98d2db9b5e93a43cf5fa0119b82",
        ["Sqlite/0009_store_cache.sql"] = "0da9042cc40b1cdedca38ca00d800e3f2792576ae28ec8ca495584f23b9f7102",
    };

    /// <summary>Released migrations are never edited, only added to: each one the previous release had is the same file now.</summary>
    [Fact]
    public void TheMigrationsOfThePreviousRelease_AreUnchanged()
    {
        foreach (var (file, sha256) in ReleasedMigrations)
        {
            var now = System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(RepositoryRoot.Combine("src", "Idp", "Persistence", "Migrations", file)));
            Assert.True(Convert.ToHexStringLower(now) == sha256, $"{file} was edited after its release: add a new migration instead");
        }

        Assert.Equal(2, ReleasedMigrations.Keys.Count(k => k.EndsWith($"/{LastMigrationThen}.sql", StringComparison.Ordinal)));
    }

    /// <summary>A user, their device and an audit row, written with plain SQL against the old schema (the new model has columns it lacks).</summary>
    private static async Task WriteAsOldNodesDidAsync(TestDatabase database)
    {
        Assert.True(SecretKey.TryParse(TestSecrets.Key, out var key, out _));
        var protector = new SecretProtector(new SecretKeyRing(key!));
        var now = DateTime.UtcNow;
        var userId = Guid.NewGuid().ToString();
        var devices = $$"""[{"type":"TOTP","name":"Phone","epoch":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60}},"_secret":"{{protector.Protect(TestOtp.Seed, OtpSecretPurposes.OtpSeed)}}","id":"d1"}]""";
        await using var db = Context(database);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            INSERT INTO "AspNetUsers" ("Id", "SubjectId", "CreatedAt", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
                "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            VALUES (@id, 'sub-olduser', @now, 'olduser', 'OLDUSER', 'olduser@example.com', 'OLDUSER@EXAMPLE.COM', @no, @hash, @stamp, @stamp, @no, @no, @yes, 0)
            """, ("@id", userId), ("@now", now), ("@no", false), ("@yes", true), ("@hash", new PasswordHasher<IdpUser>().HashPassword(new IdpUser(), TestUsers.Password)), ("@stamp", Guid.NewGuid().ToString("N")));
        await ExecuteAsync(connection, """INSERT INTO "UserOtpDevices" ("UserId", "DevicesJson", "Version", "UpdatedAt") VALUES (@id, @json, 1, @now)""", ("@id", userId), ("@json", devices), ("@now", now));
        await ExecuteAsync(connection, """INSERT INTO "AuditEvents" ("At", "Type", "Actor", "Details") VALUES (@now, 'test.before_upgrade', 'old-node', 'the old node wrote this')""", ("@now", now));
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    private static IdpDbContext Context(TestDatabase database) => SchemaTests.Context(database);

    private static DatabaseMigrator Migrator(IdpDbContext db, TestDatabase database) => SchemaTests.Migrator(db, database);
}
