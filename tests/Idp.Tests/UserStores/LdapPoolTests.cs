using System.Net;

namespace Idp.Tests.UserStores;

/// <summary>Connections to a directory are pooled per server (Idp:Stores:N:Ldap:PoolSize): sign-ins reuse them, and one the server dropped is replaced without an error.</summary>
public sealed class LdapPoolTests
{
    private const string DirectoryPassword = "the directory's own password";

    /// <summary>Six sign-ins (a search and a bind each) open one connection with the pool, and twelve without it.</summary>
    [Fact]
    public async Task SignIns_ReusePooledConnections_AndPoolSizeZeroOpensOnePerOperation()
    {
        await using var directory = await OpenLdapServer.StartAsync();
        var login = LdapScenario.NewLogin("pat");
        await directory.AddPersonAsync(login, DirectoryPassword);

        var pooled = await ConnectionsForSixSignInsAsync(directory, login, poolSize: null);
        var unpooled = await ConnectionsForSixSignInsAsync(directory, login, poolSize: "0");

        Assert.Equal(1, pooled);
        Assert.Equal(12, unpooled);
    }

    /// <summary>A restarted server has closed every pooled connection: the next sign-in notices, drops them and succeeds on a new one.</summary>
    [Fact]
    public async Task AfterTheServerRestarts_ThePooledConnectionsAreReplaced_WithoutAnError()
    {
        await using var directory = await OpenLdapServer.StartAsync();
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite, directory);
        var login = LdapScenario.NewLogin("quinn");
        await directory.AddPersonAsync(login, DirectoryPassword);
        var before = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);

        await directory.StopAsync();
        await directory.RestartAsync();
        var after = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);

        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    private static async Task<int> ConnectionsForSixSignInsAsync(OpenLdapServer directory, string login, string? poolSize)
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite, directory, poolSize is null ? null : new Dictionary<string, string?> { ["Idp:Stores:0:Ldap:PoolSize"] = poolSize });
        var before = await directory.ConnectionsAcceptedAsync();
        for (var i = 0; i < 6; i++)
        {
            var signIn = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        // Less the monitor query's own connection.
        return await directory.ConnectionsAcceptedAsync() - before - 1;
    }
}
