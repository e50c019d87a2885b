using Idp.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Idp.Tests.Persistence;

/// <summary>Idp's Npgsql default (#13: no DISCARD ALL on every pooled use) applies unless the operator's connection string names it.</summary>
public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void APlainConnectionString_GetsNoResetOnClose_AndNoAutoPrepare()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply("Host=db;Database=idp;Username=idp;Password=secret"));

        Assert.True(applied.NoResetOnClose);
        Assert.Equal(0, applied.MaxAutoPrepare);
        Assert.Equal("secret", applied.Password);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false")]
    [InlineData("Host=db;noresetonclose=false")]
    [InlineData("Host=db;NORESETONCLOSE=False")]
    public void AnOperatorsOwnValue_IsKept(string connectionString)
        => Assert.False(new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(connectionString)).NoResetOnClose);

    [Fact]
    public async Task ANodeOnPostgres_RunsWithTheDefault()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Postgres);

        var target = scenario.Host.Services.GetRequiredService<DatabaseTarget>();

        Assert.True(new NpgsqlConnectionStringBuilder(target.ConnectionString).NoResetOnClose);
    }
}
