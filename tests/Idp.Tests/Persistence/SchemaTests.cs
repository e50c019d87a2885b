using System.Data.Common;
using Idp.Hosting;
using Idp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.Persistence;

/// <summary>The hand-written migration scripts must build exactly the schema the EF model describes.</summary>
public sealed class SchemaTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Migrate_EmptyDatabase_YieldsExactlyTheModelSchema(DatabaseKind kind)
    {
        await using var migrated = await TestDatabase.CreateEmptyAsync(kind);
        await using var modelBuilt = await TestDatabase.CreateEmptyAsync(kind);
        await using (var db = Context(migrated))
        {
            var applied = await Migrator(db, migrated).MigrateAsync(CancellationToken.None);
            Assert.NotEmpty(applied);
        }

        await using (var db = Context(modelBuilt))
        {
            // The only EnsureCreated in the project: on a throwaway database, to get the model's own schema.
            await db.Database.EnsureCreatedAsync();
        }

        var expected = await SchemaDump.ReadAsync(modelBuilt);
        var actual = await SchemaDump.ReadAsync(migrated);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual.Where(line => !line.Contains("__IdpMigrations", StringComparison.Ordinal)).ToList());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Migrate_SecondRun_AppliesNothingAndKeepsData(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateEmptyAsync(kind);
        await using var db = Context(database);
        var migrator = Migrator(db, database);
        await migrator.MigrateAsync(CancellationToken.None);
        db.Users.Add(new Idp.Persistence.Entities.IdpUser { UserName = "keep", NormalizedUserName = "KEEP" });
        await db.SaveChangesAsync();

        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Empty(second);
        Assert.Empty(await migrator.PendingAsync(CancellationToken.None));
        Assert.Equal(1, await db.Users.CountAsync(u => u.UserName == "keep"));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Migrate_SeveralNodesAtOnceOnAnEmptyDatabase_AllSucceedAndApplyOnce(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateEmptyAsync(kind);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var db = Context(database);
            return await Migrator(db, database).MigrateAsync(CancellationToken.None);
        }));

        Assert.Equal(1, runs.Count(r => r.Count > 0));
        await using var check = Context(database);
        var history = await check.Database.SqlQueryRaw<string>("SELECT \"Version\" AS \"Value\" FROM \"__IdpMigrations\"").ToListAsync();
        Assert.Equal(history.Distinct().Count(), history.Count);
        Assert.Empty(await Migrator(check, database).PendingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Pending_EmptyDatabase_ListsEveryVersion()
    {
        await using var database = await TestDatabase.CreateEmptyAsync(DatabaseKind.Sqlite);
        await using var db = Context(database);
        var migrator = Migrator(db, database);

        Assert.Equal(migrator.AllVersions, await migrator.PendingAsync(CancellationToken.None));
    }

    internal static IdpDbContext Context(TestDatabase database)
    {
        var builder = new DbContextOptionsBuilder<IdpDbContext>();
        DatabaseRegistration.Configure(builder, database.Provider, database.ConnectionString);
        return new IdpDbContext(builder.Options);
    }

    internal static DatabaseMigrator Migrator(IdpDbContext db, TestDatabase database)
        => new(db, new DatabaseTarget(database.Provider, database.ConnectionString), Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance);
}
