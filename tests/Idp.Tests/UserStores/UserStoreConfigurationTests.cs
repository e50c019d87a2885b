using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Tests.UserStores;

/// <summary>Idp:Stores, Idp:Realms and Idp:DefaultRealm are checked at start-up, each refusal naming its key.</summary>
public sealed class UserStoreConfigurationTests
{
    public static TheoryData<string, string, string> Refused => new()
    {
        { "Idp:Stores:0:Type", "Ldapp", "Idp:Stores:0:Type" },
        { "Idp:Stores:0:Ldap:AllowPlainLdap", "false", "Idp:Stores:0:Ldap:Servers:0 is plain ldap://, which sends passwords in the clear" },
        { "Idp:Stores:0:Ldap:Servers:0", "https://dc.example", "Idp:Stores:0:Ldap:Servers:0 must be ldap://host[:port] or ldaps://host[:port]" },
        { "Idp:Stores:0:Ldap:SearchBase", "", "Idp:Stores:0:Ldap:SearchBase must name the DN" },
        { "Idp:Stores:0:Ldap:BindPassword", "", "Idp:Stores:0:Ldap:BindDn and Idp:Stores:0:Ldap:BindPassword go together" },
        { "Idp:Stores:0:Ldap:LoginAttributes:0", "uid)(cn", "Idp:Stores:0:Ldap:LoginAttributes:0 must be an attribute name" },
        { "Idp:Stores:0:Ldap:UserFilter", "(a=b))(|(c=d)", "Idp:Stores:0:Ldap:UserFilter must be one parenthesised LDAP filter" },
        { "Idp:Stores:0:Ldap:SearchPageSize", "0", "Idp:Stores:0:Ldap:SearchPageSize must be from 1 to 1000" },
        { "Idp:Stores:0:Ldap:PoolSize", "-1", "Idp:Stores:0:Ldap:PoolSize must be from 0 (no pooling) to 100" },
        { "Idp:Stores:0:Ldap:PoolIdleTimeout", "00:00:00", "Idp:Stores:0:Ldap:PoolIdleTimeout must be more than zero" },
        { "Idp:Stores:1:Name", "corp", "Idp:Stores:1:Name must be set, unique" },
        { "Idp:Realms:0:Stores:1", "nosuch", "Idp:Realms:0:Stores:1 names no store in Idp:Stores" },
        { "Idp:DefaultRealm", "nowhere", "Idp:DefaultRealm names no realm in Idp:Realms" },
        { "Idp:StoreCache:UserLifetime", "2.00:00:00", "Idp:StoreCache:UserLifetime must be from 00:00:00 (off) to 1.00:00:00" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ABadValue_StopsStartUp_NamingTheKey(string key, string value, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = LdapScenario.Settings("ldap://127.0.0.1:389");
        settings[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => IdpTestHost.StartAsync(database, settings));

        Assert.True(error is IdpConfigurationException or OptionsValidationException, error.GetType().Name);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, string> RefusedSql => new()
    {
        { "Idp:Stores:0:Sql:Table", "user\"; DROP TABLE x; --", "Idp:Stores:0:Sql:Table must be a name" },
        { "Idp:Stores:0:Sql:LoginColumns:1", "lower(email)", "Idp:Stores:0:Sql:LoginColumns:1 must be a name" },
        { "Idp:Stores:0:Sql:EnabledColumn", "a.b.c", "Idp:Stores:0:Sql:EnabledColumn must be a name" },
        { "Idp:Stores:0:Sql:HashFormat", null, "Idp:Stores:0:Sql:HashFormat must say how the password column is written: Bcrypt, DjangoPbkdf2, AspNetIdentity, SaltedSha" },
        { "Idp:Stores:0:Sql:HashFormat", "md5", "Idp:Stores:0:Sql:HashFormat" },
        { "Idp:Stores:0:Sql:ConnectionString", "", "Idp:Stores:0:Sql:ConnectionString must say where the table is" },
        { "Idp:Stores:0:Sql:ConnectionString", "Hots=db;Password=hunter2", "Idp:Stores:0:Sql:ConnectionString cannot be read as a Postgres connection string" },
        { "Idp:Stores:0:Sql:NameColumn", "password_hash", "Idp:Stores:0:Sql:PasswordColumn must be a column of its own" },
        { "Idp:Stores:0:Sql:Timeout", "00:05:00", "Idp:Stores:0:Sql:Timeout must be from 00:00:01 to 00:01:00" },
        { "Idp:Stores:0:Sql:GroupRoles:0:Role", "root", "Idp:Stores:0:Sql:GroupRoles:0:Role must name a role Idp knows" },
    };

    [Theory]
    [MemberData(nameof(RefusedSql))]
    public async Task ABadSqlStoreValue_StopsStartUp_NamingTheKey_AndNoSecret(string key, string? value, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = SqlScenario.Settings(DatabaseKind.Postgres, "Host=127.0.0.1;Database=shop;Username=shop;Password=hunter2");
        settings["Idp:Stores:0:Sql:GroupRoles:0:Group"] = "staff";
        settings["Idp:Stores:0:Sql:GroupRoles:0:Role"] = "admin";
        settings[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => IdpTestHost.StartAsync(database, settings));

        Assert.True(error is IdpConfigurationException or OptionsValidationException, error.GetType().Name);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainLdap_IsAcceptedWhenAllowed_AndLdapsAlways()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = LdapScenario.Settings("ldaps://dc1.example", "ldap://127.0.0.1:389");

        await using var host = await IdpTestHost.StartAsync(database, settings);

        Assert.NotNull(host.Services.GetRequiredService<Idp.UserStores.UserStoreCatalog>().DirectoryStores.SingleOrDefault(s => s.Name == "corp"));
    }
}
