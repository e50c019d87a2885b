using System.Net;

namespace Idp.Tests.Hosting;

public sealed class HealthTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Health_MigratedDatabase_AliveAndReady(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var client = scenario.Host.CreateBrowser();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Ready_SchemaNotMigratedAndAutoMigrationOff_Unavailable()
    {
        await using var scenario = await Scenario.StartOnAsync(await TestDatabase.CreateEmptyAsync(DatabaseKind.Sqlite), new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });
        var client = scenario.Host.CreateBrowser();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Ready_PostgresUnreachable_Unavailable()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var unreachable = new Dictionary<string, string?>
        {
            ["Database:MigrateOnStartup"] = "false",
            ["ConnectionStrings:Idp"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2",
        };
        await using var host = await IdpTestHost.StartAsync(database, unreachable);

        var response = await host.CreateBrowser().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
