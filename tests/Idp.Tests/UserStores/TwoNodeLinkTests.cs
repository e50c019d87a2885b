using Idp.UserStores;
using Idp.Tests.Hardening;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.UserStores;

/// <summary>Two nodes on one PostgreSQL finding the same directory person at once create one record, not two.</summary>
public sealed class TwoNodeLinkTests
{
    [Fact]
    public async Task ConcurrentFirstSignIns_OnTwoNodes_LinkOneRecord()
    {
        var directory = await SharedLdap.GetAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        await using var nodeA = await IdpTestHost.StartAsync(database, LdapScenario.Settings(directory.Url));
        await using var nodeB = await IdpTestHost.StartAsync(database, LdapScenario.Settings(directory.Url));
        var login = LdapScenario.NewLogin("twin");
        await directory.AddPersonAsync(login, "twin's password");

        var ids = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            await using var scope = (i % 2 == 0 ? nodeA : nodeB).Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<AccountResolver>().ResolveAsync(login, null, CancellationToken.None)).User?.Id;
        }));
        var records = await HardeningDb.QueryAsync(nodeA.Services, db => db.Users.AsNoTracking().CountAsync(u => u.StoreName == "corp" && u.UserName == login));

        Assert.Equal(1, records);
        Assert.Single(ids.Distinct());
        Assert.NotNull(ids[0]);
    }
}
