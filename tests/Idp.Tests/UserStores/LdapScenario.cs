using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.UserStores;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.UserStores;

/// <summary>
/// A node whose default realm "corp" asks the LDAP store "corp" (the test run's slapd) first and the built-in store
/// "local" second. Each test adds its own people with unique logins, so tests share the directory safely.
/// </summary>
internal sealed class LdapScenario : IAsyncDisposable
{
    private LdapScenario(Scenario scenario, OpenLdapServer directory)
    {
        Scenario = scenario;
        Directory = directory;
    }

    public Scenario Scenario { get; }

    public OpenLdapServer Directory { get; }

    public IdpTestHost Host => Scenario.Host;

    public static Dictionary<string, string?> Settings(params string[] servers) => new Dictionary<string, string?>
    {
        ["Idp:Stores:0:Name"] = "corp",
        ["Idp:Stores:0:Type"] = "Ldap",
        ["Idp:Stores:0:Ldap:AllowPlainLdap"] = "true",
        ["Idp:Stores:0:Ldap:BindDn"] = OpenLdapServer.ReaderDn,
        ["Idp:Stores:0:Ldap:BindPassword"] = OpenLdapServer.ReaderPassword,
        ["Idp:Stores:0:Ldap:SearchBase"] = OpenLdapServer.People,
        ["Idp:Stores:0:Ldap:LoginAttributes:0"] = "uid",
        ["Idp:Stores:0:Ldap:LoginAttributes:1"] = "mail",
        ["Idp:Stores:0:Ldap:UserFilter"] = "(objectClass=inetOrgPerson)",
        ["Idp:Stores:0:Ldap:Timeout"] = "00:00:03",
        ["Idp:Stores:1:Name"] = "local",
        ["Idp:Stores:1:Type"] = "BuiltIn",
        ["Idp:Realms:0:Name"] = "corp",
        ["Idp:Realms:0:Stores:0"] = "corp",
        ["Idp:Realms:0:Stores:1"] = "local",
        ["Idp:DefaultRealm"] = "corp",
    }.Concat(servers.Select((s, i) => new KeyValuePair<string, string?>($"Idp:Stores:0:Ldap:Servers:{i}", s))).ToDictionary();

    /// <param name="directory">Another slapd than the shared one (a test that stops it).</param>
    public static async Task<LdapScenario> StartAsync(DatabaseKind kind, OpenLdapServer? directory = null, IDictionary<string, string?>? more = null)
    {
        directory ??= await SharedLdap.GetAsync();
        var settings = Settings(directory.Url);
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new LdapScenario(await Scenario.StartAsync(kind, settings), directory);
    }

    /// <summary>A login no other test uses.</summary>
    public static string NewLogin(string name) => $"{name}{Guid.NewGuid():N}"[..Math.Min(name.Length + 12, name.Length + 32)];

    /// <summary>Finds the person as a sign-in would, so their local record exists (to give them a device).</summary>
    public async Task<IdpUser?> ResolveAsync(string login)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AccountResolver>().ResolveAsync(login, null, CancellationToken.None)).User;
    }

    public async Task<IdpUser?> RecordOfAsync(string externalId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdpDbContext>().Users.AsNoTracking().SingleOrDefaultAsync(u => u.ExternalId == externalId);
    }

    public ValueTask DisposeAsync() => Scenario.DisposeAsync();
}
